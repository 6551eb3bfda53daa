import { escapeXml } from '../restxml/xml.js';
import type { QueryServiceModel } from './model.js';

/**
 * AWS Query responses: `<XResponse xmlns><XResult>…</XResult><ResponseMetadata>` with the
 * output written by its shape, members in model order: lists as `<member>` elements, maps
 * as `<entry><key/><value/></entry>`, timestamps ISO 8601 (whole seconds, as IAM and STS
 * write them), booleans `true`/`false`. Strings of the shapes a service returns URL-encoded
 * (IAM's policy documents) are percent-encoded per RFC 3986.
 */
export interface QueryEncodeOptions {
  urlEncodedShapes?: ReadonlySet<string>;
}

/** RFC 3986: everything but the unreserved characters is percent-encoded. */
export function rfc3986Encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function iso8601Seconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

class Encoder {
  readonly out: string[] = [];
  constructor(private readonly model: QueryServiceModel, private readonly opts: QueryEncodeOptions) {}

  members(shapeName: string, value: Record<string, unknown>): void {
    const s = this.model.shapes[shapeName];
    if (!s?.members) throw new Error(`query model has no structure ${shapeName}`);
    for (const [name, m] of Object.entries(s.members)) {
      const v = value[name];
      if (v === undefined || v === null) continue;
      this.element(name, m.target, v);
    }
  }

  element(name: string, shapeName: string, v: unknown): void {
    const s = this.model.shapes[shapeName];
    if (!s) throw new Error(`query model has no shape ${shapeName}`);
    switch (s.type) {
      case 'structure':
        this.out.push(`<${name}>`);
        this.members(shapeName, v as Record<string, unknown>);
        this.out.push(`</${name}>`);
        return;
      case 'list':
        this.out.push(`<${name}>`);
        for (const item of v as unknown[]) this.element('member', s.member!, item);
        this.out.push(`</${name}>`);
        return;
      case 'map': {
        this.out.push(`<${name}>`);
        const entries = v instanceof Map ? [...(v as Map<unknown, unknown>)] : Object.entries(v as Record<string, unknown>);
        for (const [k, val] of entries) {
          this.out.push('<entry>');
          this.element('key', s.key!, k);
          this.element('value', s.value!, val);
          this.out.push('</entry>');
        }
        this.out.push(`</${name}>`);
        return;
      }
      case 'timestamp': {
        const d = v instanceof Date ? v : new Date(v as string);
        this.out.push(`<${name}>${iso8601Seconds(d)}</${name}>`);
        return;
      }
      case 'boolean':
        this.out.push(`<${name}>${v ? 'true' : 'false'}</${name}>`);
        return;
      case 'blob':
        this.out.push(`<${name}>${Buffer.isBuffer(v) ? v.toString('base64') : escapeXml(String(v))}</${name}>`);
        return;
      default: {
        const text = String(v);
        this.out.push(`<${name}>${escapeXml(this.opts.urlEncodedShapes?.has(shapeName) ? rfc3986Encode(text) : text)}</${name}>`);
      }
    }
  }
}

/** The whole response document of one operation. */
export function encodeQueryResponse(model: QueryServiceModel, operation: string, output: unknown, requestId: string, opts: QueryEncodeOptions = {}): string {
  const op = model.operations[operation];
  const e = new Encoder(model, opts);
  e.out.push(`<${operation}Response xmlns="${model.xmlns}">`);
  if (op?.output) {
    e.out.push(`<${operation}Result>`);
    e.members(op.output, (output ?? {}) as Record<string, unknown>);
    e.out.push(`</${operation}Result>`);
  }
  e.out.push(`<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${operation}Response>`);
  return e.out.join('');
}
