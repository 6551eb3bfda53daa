import type { SessionRecord } from '../../store/meta/types.js';
import type { StsContext } from './context.js';

export interface CredentialsWire {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

/**
 * Issues temporary credentials: an ASIA key, its secret and a session token, stored with
 * the session they act as. They stop working exactly at `expiresAt` (ExpiredToken).
 */
export async function issueCredentials(ctx: StsContext, accountId: string, session: SessionRecord, durationSeconds: number): Promise<CredentialsWire> {
  const now = ctx.now();
  // Expiry has second resolution on the wire; keep it exact in the store too.
  const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + durationSeconds * 1000);
  const accessKeyId = ctx.ids.accessKeyId();
  const secretAccessKey = ctx.ids.secretAccessKey();
  const sessionToken = ctx.ids.sessionToken();
  await ctx.meta.putAccessKey({
    accessKeyId,
    secretAccessKey,
    accountId,
    principalKind: session.kind,
    principalName: session.sessionName ?? session.userName ?? '',
    status: 'Active',
    createdAt: now,
    sessionToken,
    expiresAt,
    session,
  });
  return { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken, Expiration: expiresAt };
}
