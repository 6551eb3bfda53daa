/**
 * Case-insensitive view of the request context. Condition key names are not case-sensitive
 * ("aws:SourceIP" ≡ "AWS:sourceip"), but callers and policies nearly always spell keys the
 * same way, so the exact key is tried first and a lower-cased index is built only on a miss.
 */
import type { ContextValues } from './types.js';

export type ContextValue = string | readonly string[];

export class ContextView {
  private lower: Map<string, ContextValue> | undefined;
  private missingKeys: Set<string> | undefined;

  constructor(private readonly ctx: ContextValues) {}

  /** Value for a key (`lowerKey` is the key lower-cased, precomputed by the caller). */
  get(key: string, lowerKey: string): ContextValue | undefined {
    if (Object.hasOwn(this.ctx, key)) {
      const v = this.ctx[key];
      if (v !== undefined) return v;
    }
    if (this.lower === undefined) {
      this.lower = new Map();
      for (const k of Object.keys(this.ctx)) {
        const v = this.ctx[k];
        if (v !== undefined) this.lower.set(k.toLowerCase(), v);
      }
    }
    return this.lower.get(lowerKey);
  }

  /** Remember a key the policies asked for and the request did not carry. */
  noteMissing(key: string): void {
    (this.missingKeys ??= new Set()).add(key);
  }

  missing(): string[] {
    return this.missingKeys ? [...this.missingKeys] : [];
  }
}
