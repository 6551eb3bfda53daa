import { parsePolicyOrThrow, type PolicyDocument } from '../policy/index.js';

/**
 * Parsed documents by their text, so the engine's per-document compile cache hits: one
 * parse and one compile per distinct policy, not per request. Bounded, oldest out first.
 */
export class PolicyCache {
  private readonly docs = new Map<string, PolicyDocument>();

  constructor(private readonly max = 10_000) {}

  parse(text: string): PolicyDocument {
    const hit = this.docs.get(text);
    if (hit) return hit;
    const doc = parsePolicyOrThrow(text);
    if (this.docs.size >= this.max) this.docs.delete(this.docs.keys().next().value!);
    this.docs.set(text, doc);
    return doc;
  }
}
