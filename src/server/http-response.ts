import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RestResponse } from '../protocols/restxml/rest-message.js';
import type { RequestContext } from './request-context.js';

/** Writes a response; a streamed body that fails midway destroys the socket (the status is gone). */
export async function writeResponse(res: ServerResponse, r: RestResponse, rc: RequestContext, omitBody: boolean): Promise<void> {
  res.statusCode = r.status;
  for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) res.setHeader(k, typeof v === 'number' ? String(v) : v);
  const body = r.body;
  if (body === undefined || omitBody) {
    if (body instanceof Readable) body.destroy();
    if (!res.hasHeader('content-length') && !omitBody) res.setHeader('Content-Length', '0');
    res.end();
    return;
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    res.setHeader('Content-Length', String(buf.length));
    rc.bytesOut += buf.length;
    res.end(buf);
    return;
  }
  body.on('data', (c: Buffer) => { rc.bytesOut += c.length; });
  try {
    await pipeline(body, res);
  } catch (e) {
    res.destroy();
    throw e;
  }
}
