import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * XML for the REST-XML protocols. Responses are written with a small element writer (S3's
 * shapes are fixed and ordered; characters XML 1.0 cannot carry are written as character
 * references, as S3 does); request bodies are parsed with fast-xml-parser.
 */

export type XmlValue = string | number | boolean | Date | undefined | null | XmlNode | XmlValue[];
export interface XmlNode {
  [element: string]: XmlValue;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

export function escapeXml(s: string): string {
  return s.replace(/[&<>"'\r]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => ESCAPES[c] ?? `&#${c.charCodeAt(0)};`);
}

function writeValue(out: string[], name: string, v: XmlValue): void {
  if (v === undefined || v === null) return;
  if (name.startsWith('#')) {
    // A fragment: its children are written in place, in order, without a wrapping element.
    for (const node of Array.isArray(v) ? v : [v]) {
      if (node && typeof node === 'object' && !(node instanceof Date) && !Array.isArray(node)) {
        for (const [k, child] of Object.entries(node)) writeValue(out, k, child);
      }
    }
    return;
  }
  if (Array.isArray(v)) {
    for (const item of v) writeValue(out, name, item);
    return;
  }
  if (v instanceof Date) {
    out.push(`<${name}>${v.toISOString()}</${name}>`);
    return;
  }
  if (typeof v === 'object') {
    out.push(`<${name}>`);
    for (const [k, child] of Object.entries(v)) writeValue(out, k, child);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${escapeXml(String(v))}</${name}>`);
}

/**
 * One document: `toXml('ListBucketResult', {...}, S3_NS)`. Undefined fields are left out;
 * a key starting with '#' is a fragment whose nodes are written in place (for interleaved
 * sequences such as Version/DeleteMarker).
 */
export function toXml(root: string, body: XmlNode, xmlns?: string): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  out.push(xmlns ? `<${root} xmlns="${xmlns}">` : `<${root}>`);
  for (const [k, v] of Object.entries(body)) writeValue(out, k, v);
  out.push(`</${root}>`);
  return out.join('');
}

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  removeNSPrefix: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
});

export class MalformedXmlError extends Error {}

/** Parses a request body; throws MalformedXmlError for anything not well-formed. */
export function parseXml(text: string): Record<string, unknown> {
  if (text.trim() === '') throw new MalformedXmlError('empty document');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new MalformedXmlError(valid.err.msg);
  return parser.parse(text) as Record<string, unknown>;
}

/** Elements that may repeat come back as a value or an array: always an array. */
export function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Text content of an element that may be absent; objects (child elements) are not text. */
export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}
