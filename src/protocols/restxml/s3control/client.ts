// A small S3 Control client for Coffer's own tools (`coffer access apply`): node:http with a
// keep-alive agent, signed with Coffer's SigV4 client signer, so no AWS SDK is needed at run
// time. It sends to the endpoint as given (no `<account-id>.` host prefix) and names the
// account in `x-amz-account-id`, which Coffer accepts as AWS does.
import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { XMLParser } from 'fast-xml-parser';
import { signWithHeader, type ClientCredentials } from '../../../auth/client-signer.js';
import { sha256Hex, uriEncode } from '../../../auth/sigv4.js';
import { S3CONTROL_NS } from './wires.js';

export interface S3ControlClientOptions {
  endpoint: string;
  region: string;
  credentials: ClientCredentials;
  accountId: string;
  maxSockets?: number;
}

export class S3ControlApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(`${code}: ${message}`);
  }
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, removeNSPrefix: true, isArray: (name) => ['AccessGrant', 'AccessGrantsLocation', 'AccessGrantsInstance', 'Tag'].includes(name) });

export type XmlObject = Record<string, unknown>;

export class S3ControlHttpClient {
  private readonly url: URL;
  private readonly agent: HttpAgent;

  constructor(private readonly o: S3ControlClientOptions) {
    this.url = new URL(o.endpoint);
    const opts = { keepAlive: true, maxSockets: o.maxSockets ?? 16 };
    this.agent = this.url.protocol === 'https:' ? new HttpsAgent(opts) : new HttpAgent(opts);
  }

  close(): void {
    this.agent.destroy();
  }

  /** One call; `path` below `/v20180820/`, `body` the members of `<Operation>Request`. Resolves to the parsed result element. */
  async call(operation: string, method: string, path: string, query: Record<string, string | undefined> = {}, body?: string): Promise<XmlObject> {
    const rawPath = `/v20180820/${path}`;
    const rawQuery = Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => `${uriEncode(k)}=${uriEncode(v!)}`).join('&');
    const payload = body === undefined ? '' : `<?xml version="1.0" encoding="UTF-8"?><${operation}Request xmlns="${S3CONTROL_NS}">${body}</${operation}Request>`;
    const headers: Record<string, string> = { host: this.url.host, 'x-amz-account-id': this.o.accountId };
    if (body !== undefined) {
      headers['content-type'] = 'application/xml';
      headers['content-md5'] = createHash('md5').update(payload).digest('base64');
    }
    const { headers: signed } = signWithHeader({ method, rawPath, rawQuery, headers }, this.o.credentials, this.o.region, 's3', new Date(), sha256Hex(payload));
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = send({
        host: this.url.hostname, port: this.url.port || undefined, method, path: rawQuery ? `${rawPath}?${rawQuery}` : rawPath,
        headers: { ...signed, 'content-length': String(Buffer.byteLength(payload)) }, agent: this.agent,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
    const doc = text.trim() === '' ? {} : parser.parse(text) as XmlObject;
    if (status >= 300) {
      const err = ((doc.ErrorResponse as XmlObject | undefined)?.Error ?? doc.Error ?? {}) as XmlObject;
      throw new S3ControlApiError(String(err.Code ?? `HTTP${status}`), String(err.Message ?? text.slice(0, 200)), status);
    }
    return (doc[`${operation}Result`] ?? {}) as XmlObject;
  }
}

/** An XML element for a request body, its text escaped. */
export function el(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</${name}>`;
}
