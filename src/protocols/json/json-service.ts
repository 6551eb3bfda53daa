import { AwsError } from '../../errors/aws-error.js';

/** AWS JSON 1.1: the operation comes from X-Amz-Target, the input is one JSON object. */
export function operationFromTarget(target: string, prefix: string): string {
  if (!target.startsWith(`${prefix}.`)) throw unknownOperation(target);
  return target.slice(prefix.length + 1);
}

export function unknownOperation(name: string): AwsError {
  return new AwsError({ code: 'UnknownOperationException', status: 400, message: `Unknown operation ${name}` });
}

export function parseJsonInput(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new AwsError({ code: 'SerializationException', status: 400, message: 'Start of structure or map found where not expected' });
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new AwsError({ code: 'SerializationException', status: 400, message: 'The request body must be a JSON object' });
  }
  return v as Record<string, unknown>;
}

/** Output objects become JSON; Buffers (ciphertext, plaintext) become base64 blobs, Dates epoch seconds. */
export function encodeJsonOutput(out: unknown): string {
  return JSON.stringify(out ?? {}, (_k, v: unknown) => {
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
      return Buffer.from((v as { data: number[] }).data).toString('base64');
    }
    return v;
  });
}
