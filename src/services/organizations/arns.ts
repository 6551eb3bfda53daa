/** Organizations ARNs (Service Authorization Reference): all in the management account's namespace. */
export const organizationArn = (mgmt: string, orgId: string) => `arn:aws:organizations::${mgmt}:organization/${orgId}`;
export const accountArn = (mgmt: string, orgId: string, accountId: string) => `arn:aws:organizations::${mgmt}:account/${orgId}/${accountId}`;
export const rootArn = (mgmt: string, orgId: string, rootId: string) => `arn:aws:organizations::${mgmt}:root/${orgId}/${rootId}`;
export const ouArn = (mgmt: string, orgId: string, ouId: string) => `arn:aws:organizations::${mgmt}:ou/${orgId}/${ouId}`;

/** Customer policies live under the organization; AWS-managed ones (FullAWSAccess) under `aws`. */
export function policyArn(mgmt: string, orgId: string, p: { id: string; type: string; awsManaged: boolean }): string {
  const type = p.type.toLowerCase();
  return p.awsManaged ? `arn:aws:organizations::aws:policy/${type}/${p.id}` : `arn:aws:organizations::${mgmt}:policy/${orgId}/${type}/${p.id}`;
}
