import type { RestRequest, RestResponse } from '../rest-message.js';

/** How one S3 operation travels: bytes-level request to typed input, typed output to response. */
export interface Wire<I, O> {
  decode(req: RestRequest): I | Promise<I>;
  encode(out: O, input: I): RestResponse;
}

export const xmlResponse = (body: string, status = 200, headers: RestResponse['headers'] = {}): RestResponse => ({
  status,
  headers: { 'Content-Type': 'application/xml', ...headers },
  body,
});

export const empty = (status = 200, headers: RestResponse['headers'] = {}): RestResponse => ({ status, headers });

export function bucketOf(req: RestRequest): string {
  return req.bucket!;
}

export function keyOf(req: RestRequest): string {
  return req.key!;
}

export function optionalQuery(req: RestRequest, name: string): string | undefined {
  const v = req.query.get(name);
  return v === null ? undefined : v;
}

/** `encoding-type=url` lists keys and prefixes URL-encoded, as S3 encodes them. */
export function urlEncoder(encodingType: string | undefined): (s: string | undefined) => string | undefined {
  if (encodingType !== 'url') return (s) => s;
  return (s) => (s === undefined ? undefined : encodeURIComponent(s).replace(/%2F/g, '/').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}
