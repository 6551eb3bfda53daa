import { AwsError } from '../../errors/aws-error.js';
import type { QueryServiceModel, QueryShape } from './model.js';

/**
 * AWS Query requests: a form (`Action=…&Version=…&Tags.member.1.Key=…`) decoded into a plain
 * object by the operation's input shape. Lists are `Name.member.N` (N from 1), maps
 * `Name.entry.N.key` / `Name.entry.N.value`, nested structures `Name.Member`; an empty list
 * is sent as `Name=` with no members. Constraints of the model (required, length, pattern,
 * range, enum) are checked here, with AWS's ValidationError wording.
 */
export type QueryParams = Map<string, string>;

/** Parameters of a form body, plus those of the query string (Query also works as GET). */
export function parseQueryParams(body: Buffer | string, rawQuery = ''): QueryParams {
  const params: QueryParams = new Map();
  for (const [k, v] of new URLSearchParams(rawQuery)) if (!k.startsWith('X-Amz-')) params.set(k, v);
  for (const [k, v] of new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))) params.set(k, v);
  return params;
}

export interface QueryDecodeOptions {
  /**
   * A service's own message for a value that fails its pattern (IAM words name and path
   * faults itself); undefined falls back to the generic constraint message.
   */
  patternMessage?(shapeName: string, memberPath: string, value: string): string | undefined;
}

interface Fault {
  message: string;
  /** A service-worded message replaces the whole "N validation errors detected" text. */
  standalone?: boolean;
}

class Decoder {
  readonly faults: Fault[] = [];
  constructor(private readonly model: QueryServiceModel, private readonly params: QueryParams, private readonly opts: QueryDecodeOptions) {}

  private shape(name: string): QueryShape {
    const s = this.model.shapes[name];
    if (!s) throw new Error(`query model has no shape ${name}`);
    return s;
  }

  private has(prefix: string): boolean {
    if (this.params.has(prefix)) return true;
    const dotted = `${prefix}.`;
    for (const k of this.params.keys()) if (k.startsWith(dotted)) return true;
    return false;
  }

  private fault(path: string, value: unknown, constraint: string): void {
    const shown = value === null ? 'null' : `'${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}'`;
    this.faults.push({ message: `Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}` });
  }

  value(shapeName: string, key: string, path: string): unknown {
    const s = this.shape(shapeName);
    switch (s.type) {
      case 'structure': return this.structure(shapeName, s, key ? `${key}.` : '', path);
      case 'list': return this.list(s, key, path);
      case 'map': return this.map(s, key, path);
      default: return this.scalar(shapeName, s, key, path);
    }
  }

  structure(_name: string, s: QueryShape, prefix: string, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [member, m] of Object.entries(s.members ?? {})) {
      const key = `${prefix}${member}`;
      const mpath = path ? `${path}.${lowerFirst(member)}` : lowerFirst(member);
      if (!this.has(key)) {
        if (m.required) this.fault(mpath, null, 'Member must not be null');
        continue;
      }
      const v = this.value(m.target, key, mpath);
      if (v !== undefined) out[member] = v;
    }
    return out;
  }

  private indexed(prefix: string): number[] {
    const re = new RegExp(`^${escapeRe(prefix)}\\.(\\d+)(?:$|\\.)`);
    const seen = new Set<number>();
    for (const k of this.params.keys()) {
      const m = re.exec(k);
      if (m) seen.add(Number(m[1]));
    }
    return [...seen].filter((n) => n >= 1).sort((a, b) => a - b);
  }

  list(s: QueryShape, key: string, path: string): unknown[] {
    const items = this.indexed(`${key}.member`).map((n) => this.value(s.member!, `${key}.member.${n}`, `${path}.${n}.member`));
    this.checkLength(s, items.length, path, items);
    return items;
  }

  map(s: QueryShape, key: string, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const n of this.indexed(`${key}.entry`)) {
      const k = this.value(s.key!, `${key}.entry.${n}.key`, `${path}.${n}.key`);
      out[String(k)] = this.value(s.value!, `${key}.entry.${n}.value`, `${path}.${n}.value`);
    }
    return out;
  }

  private checkLength(s: QueryShape, n: number, path: string, shown: unknown): void {
    if (!s.length) return;
    const [min, max] = s.length;
    if (min !== null && n < min) this.fault(path, shown, `Member must have length greater than or equal to ${min}`);
    if (max !== null && n > max) this.fault(path, shown, `Member must have length less than or equal to ${max}`);
  }

  scalar(shapeName: string, s: QueryShape, key: string, path: string): unknown {
    const raw = this.params.get(key);
    if (raw === undefined) return undefined;
    switch (s.type) {
      case 'string': {
        // Smithy counts length in Unicode code points.
        this.checkLength(s, [...raw].length, path, raw);
        if (s.pattern && !compilePattern(s.pattern).test(raw)) {
          const own = this.opts.patternMessage?.(shapeName, path, raw);
          if (own) this.faults.push({ message: own, standalone: true });
          else this.fault(path, raw, `Member must satisfy regular expression pattern: ${s.pattern.replace(/^\^/, '').replace(/\$$/, '')}`);
        }
        if (s.enum && !s.enum.includes(raw)) this.fault(path, raw, `Member must satisfy enum value set: [${s.enum.join(', ')}]`);
        return raw;
      }
      case 'boolean': {
        const b = raw.toLowerCase();
        if (b !== 'true' && b !== 'false') {
          this.fault(path, raw, 'Member must be a boolean');
          return undefined;
        }
        return b === 'true';
      }
      case 'integer': case 'long': case 'double': {
        const n = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(n) || (s.type !== 'double' && !Number.isInteger(n))) {
          this.fault(path, raw, `Member must be ${s.type === 'double' ? 'a number' : 'an integer'}`);
          return undefined;
        }
        if (s.range) {
          const [min, max] = s.range;
          if (min !== null && n < min) this.fault(path, n, `Member must have value greater than or equal to ${min}`);
          if (max !== null && n > max) this.fault(path, n, `Member must have value less than or equal to ${max}`);
        }
        return n;
      }
      case 'timestamp': {
        const d = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
        if (Number.isNaN(d.getTime())) {
          this.fault(path, raw, 'Member must be a timestamp');
          return undefined;
        }
        return d;
      }
      case 'blob':
        return Buffer.from(raw, 'base64');
      default:
        return raw;
    }
  }
}

const PATTERNS = new Map<string, RegExp>();

/** Smithy patterns are ECMA 262 with Unicode classes (`\p{L}`); a few escape punctuation `u` mode refuses. */
export function compilePattern(p: string): RegExp {
  let re = PATTERNS.get(p);
  if (!re) {
    try {
      re = new RegExp(p, 'u');
    } catch {
      re = new RegExp(p);
    }
    PATTERNS.set(p, re);
  }
  return re;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function validationError(message: string): AwsError {
  return new AwsError({ code: 'ValidationError', status: 400, message });
}

/** The typed input of one operation, or ValidationError listing every constraint it fails. */
export function decodeQueryInput(model: QueryServiceModel, operation: string, params: QueryParams, opts: QueryDecodeOptions = {}): Record<string, unknown> {
  const op = model.operations[operation];
  if (!op?.input) return {};
  const d = new Decoder(model, params, opts);
  const input = d.value(op.input, '', '') as Record<string, unknown>;
  if (d.faults.length > 0) {
    const own = d.faults.find((f) => f.standalone);
    if (own) throw validationError(own.message);
    const n = d.faults.length;
    throw validationError(`${n} validation error${n > 1 ? 's' : ''} detected: ${d.faults.map((f) => f.message).join('; ')}`);
  }
  return input;
}
