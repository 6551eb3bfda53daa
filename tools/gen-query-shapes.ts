/**
 * Generates the AWS Query shape tables (src/protocols/query/shapes/<service>.ts) from AWS's
 * Smithy models, so the decoder and encoder never read ../shared at run time.
 *
 *   npx tsc --outDir /tmp/coffer-tools --module nodenext --moduleResolution nodenext \
 *     --target es2022 --types node --skipLibCheck tools/gen-query-shapes.ts
 *   node /tmp/coffer-tools/gen-query-shapes.js [models-dir]      (default ../shared/aws-models)
 *
 * Kept per shape: type, members (required, in model order), list member, map key/value,
 * enum values, length/pattern/range constraints. Documentation, examples and endpoint
 * rules are dropped. Run from the repository root.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface SmithyMember { target: string; traits?: Record<string, unknown> }
interface SmithyShape {
  type: string;
  members?: Record<string, SmithyMember>;
  member?: SmithyMember;
  key?: SmithyMember;
  value?: SmithyMember;
  input?: { target: string };
  output?: { target: string };
  errors?: Array<{ target: string }>;
  operations?: Array<{ target: string }>;
  version?: string;
  traits?: Record<string, unknown>;
}

const PRELUDE: Record<string, string> = {
  String: 'string', Boolean: 'boolean', PrimitiveBoolean: 'boolean', Integer: 'integer', PrimitiveInteger: 'integer',
  Long: 'long', PrimitiveLong: 'long', Timestamp: 'timestamp', Blob: 'blob', Double: 'double', Float: 'double',
};

function local(id: string): string {
  if (id.startsWith('smithy.api#')) return `smithy.${id.slice('smithy.api#'.length)}`;
  return id.slice(id.indexOf('#') + 1);
}

function generate(modelPath: string, service: string, outPath: string): void {
  const model = JSON.parse(readFileSync(modelPath, 'utf8')) as { shapes: Record<string, SmithyShape> };
  const shapes = model.shapes;
  const svc = Object.values(shapes).find((s) => s.type === 'service')!;
  const xmlns = (svc.traits?.['smithy.api#xmlNamespace'] as { uri: string }).uri;
  const out: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const errors: Record<string, { status: number; fault: string }> = {};
  const used = new Set<string>();

  const visit = (id: string): void => {
    const name = local(id);
    if (used.has(name)) return;
    used.add(name);
    if (id.startsWith('smithy.api#')) {
      if (name !== 'smithy.Unit') out[name] = { type: PRELUDE[name.slice(7)] ?? 'string' };
      return;
    }
    const s = shapes[id];
    if (!s) throw new Error(`unknown shape ${id}`);
    const t = s.traits ?? {};
    const shape: Record<string, unknown> = { type: s.type === 'intEnum' ? 'integer' : s.type };
    const len = t['smithy.api#length'] as { min?: number; max?: number } | undefined;
    if (len) shape.length = [len.min ?? null, len.max ?? null];
    const pat = t['smithy.api#pattern'] as string | undefined;
    if (pat) {
      // Every pattern must compile in JavaScript: with the u flag (for \p{L}) or, where u mode
      // refuses an escape such as \:, without it (src/protocols/query/decode.ts does the same).
      try {
        new RegExp(pat, 'u');
      } catch {
        new RegExp(pat);
      }
      shape.pattern = pat;
    }
    const range = t['smithy.api#range'] as { min?: number; max?: number } | undefined;
    if (range) shape.range = [range.min ?? null, range.max ?? null];
    if (s.type === 'enum') {
      shape.type = 'string';
      shape.enum = Object.values(s.members ?? {}).map((m) => (m.traits?.['smithy.api#enumValue'] as string));
    } else if (s.type === 'structure') {
      const members: Record<string, unknown> = {};
      for (const [mn, m] of Object.entries(s.members ?? {})) {
        const entry: Record<string, unknown> = { target: local(m.target) };
        if (m.traits?.['smithy.api#required'] !== undefined) entry.required = true;
        members[mn] = entry;
        visit(m.target);
      }
      shape.members = members;
      if (t['smithy.api#error']) {
        const q = t['aws.protocols#awsQueryError'] as { code: string; httpResponseCode: number } | undefined;
        const status = q?.httpResponseCode ?? (t['smithy.api#httpError'] as number | undefined) ?? 400;
        errors[q?.code ?? name.replace(/Exception$/, '')] = { status, fault: String(t['smithy.api#error']) };
      }
    } else if (s.type === 'list') {
      shape.member = local(s.member!.target);
      visit(s.member!.target);
    } else if (s.type === 'map') {
      shape.key = local(s.key!.target);
      shape.value = local(s.value!.target);
      visit(s.key!.target);
      visit(s.value!.target);
    }
    out[name] = shape;
  };

  for (const ref of svc.operations ?? []) {
    const op = shapes[ref.target]!;
    const entry: Record<string, unknown> = {};
    if (op.input && op.input.target !== 'smithy.api#Unit') {
      entry.input = local(op.input.target);
      visit(op.input.target);
    }
    if (op.output && op.output.target !== 'smithy.api#Unit') {
      entry.output = local(op.output.target);
      visit(op.output.target);
    }
    for (const e of op.errors ?? []) visit(e.target);
    operations[local(ref.target)] = entry;
  }
  // Errors no operation names (thrown by the service in general) still belong in the catalogue.
  for (const [id, s] of Object.entries(shapes)) if (s.traits?.['smithy.api#error']) visit(id);

  const sorted = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
  const constName = `${service.toUpperCase()}_QUERY_MODEL`;
  const table = (o: Record<string, unknown>): string =>
    `{\n${Object.entries(sorted(o)).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join('\n')}\n  }`;
  const text = `// Generated by tools/gen-query-shapes.ts from AWS's Smithy model (${modelPath.split('/').pop()}). Do not edit.\n`
    + `import type { QueryServiceModel } from '../model.js';\n\n`
    + `export const ${constName}: QueryServiceModel = {\n`
    + `  service: ${JSON.stringify(service)},\n  version: ${JSON.stringify(svc.version)},\n  xmlns: ${JSON.stringify(xmlns)},\n`
    + `  operations: ${table(operations)},\n  errors: ${table(errors)},\n  shapes: ${table(out)},\n};\n`;
  writeFileSync(outPath, text);
  process.stdout.write(`${outPath}: ${Object.keys(operations).length} operations, ${Object.keys(out).length} shapes\n`);
}

const dir = process.argv[2] ?? '../shared/aws-models';
generate(join(dir, 'iam-2010-05-08.json'), 'iam', 'src/protocols/query/shapes/iam.ts');
generate(join(dir, 'sts-2011-06-15.json'), 'sts', 'src/protocols/query/shapes/sts.ts');
