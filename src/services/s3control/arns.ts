/** ARNs of S3 Access Grants resources (Service Authorization Reference, resource types of s3). */

export const INSTANCE_ID = 'default';

export function instanceArn(region: string, accountId: string): string {
  return `arn:aws:s3:${region}:${accountId}:access-grants/${INSTANCE_ID}`;
}

export function locationArn(region: string, accountId: string, locationId: string): string {
  return `${instanceArn(region, accountId)}/location/${locationId}`;
}

export function grantArn(region: string, accountId: string, grantId: string): string {
  return `${instanceArn(region, accountId)}/grant/${grantId}`;
}

export type AccessGrantsResource =
  | { kind: 'instance'; region: string; accountId: string }
  | { kind: 'location' | 'grant'; region: string; accountId: string; id: string };

const ARN = /^arn:aws:s3:([a-z0-9-]+):(\d{12}):access-grants\/default(?:\/(location|grant)\/([A-Za-z0-9-]+))?$/;

/** The access-grants resource an ARN names, or undefined for any other ARN. */
export function parseAccessGrantsArn(arn: string): AccessGrantsResource | undefined {
  const m = ARN.exec(arn);
  if (!m) return undefined;
  if (m[3] === undefined) return { kind: 'instance', region: m[1]!, accountId: m[2]! };
  return { kind: m[3] as 'location' | 'grant', region: m[1]!, accountId: m[2]!, id: m[4]! };
}
