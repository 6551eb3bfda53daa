import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Principal } from '../auth/principal.js';

/** Facts about one request that every stage may read: ids, transport, caller, timing. */
export interface RequestContext {
  requestId: string;
  hostId: string;
  startedAt: number;
  sourceIp: string;
  secureTransport: boolean;
  tlsVersion?: string;
  userAgent?: string;
  referer?: string;
  principal?: Principal;
  authType?: 'REST-HEADER' | 'REST-QUERY-STRING';
  /** When the request was signed (ms since epoch), for s3:signatureAge. */
  signedAt?: number;
  service?: string;
  operation?: string;
  bucket?: string;
  key?: string;
  bytesIn: number;
  /** Set once the body is wired: how many body bytes were read. */
  bytesInOf?: () => number;
  bytesOut: number;
  errorCode?: string;
}

export function newRequestContext(req: IncomingMessage, now: number): RequestContext {
  const socket = req.socket as TLSSocket;
  const secure = Boolean(socket.encrypted);
  const rc: RequestContext = {
    requestId: randomBytes(8).toString('hex').toUpperCase(),
    hostId: randomBytes(24).toString('base64'),
    startedAt: now,
    sourceIp: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
    secureTransport: secure,
    bytesIn: 0,
    bytesOut: 0,
  };
  if (secure) {
    const proto = socket.getProtocol?.();
    if (proto) rc.tlsVersion = proto.replace('TLSv', '');
  }
  const ua = req.headers['user-agent'];
  if (ua) rc.userAgent = ua;
  const ref = req.headers['referer'];
  if (ref) rc.referer = ref;
  return rc;
}
