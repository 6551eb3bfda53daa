/** IAM ARNs: `arn:aws:iam::<account>:<type><path><name>`. */
export const userArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:user${path}${name}`;
export const groupArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:group${path}${name}`;
export const roleArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:role${path}${name}`;
export const policyArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:policy${path}${name}`;

/** `https://token.example.com/path` → `arn:aws:iam::<acct>:oidc-provider/token.example.com/path`. */
export function oidcProviderArn(accountId: string, url: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${oidcProviderId(url)}`;
}

/** The provider's identity as IAM keeps it: the URL without its scheme or trailing slash. */
export function oidcProviderId(url: string): string {
  return url.replace(/^https:\/\//i, '').replace(/\/+$/, '');
}

export { splitPolicyArn } from '../../store/meta/iam-types.js';
