/**
 * The one error type every layer throws. Protocol error boundaries encode it in their
 * own wire shape; anything that is not an AwsError becomes InternalError there.
 */
export type Fault = 'client' | 'server';

export interface AwsErrorInit {
  code: string;
  message: string;
  status: number;
  fault?: Fault;
  /** Extra fields rendered inside the error body (S3: extra XML elements). */
  fields?: Record<string, string | number | undefined>;
  /** Extra response headers (for example `Allow` on 405, `x-amz-delete-marker`). */
  headers?: Record<string, string>;
}

export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: Fault;
  readonly fields: Record<string, string | number | undefined>;
  readonly headers: Record<string, string>;

  constructor(init: AwsErrorInit) {
    super(init.message);
    this.name = 'AwsError';
    this.code = init.code;
    this.status = init.status;
    this.fault = init.fault ?? (init.status >= 500 ? 'server' : 'client');
    this.fields = init.fields ?? {};
    this.headers = init.headers ?? {};
  }
}

export function isAwsError(e: unknown): e is AwsError {
  return e instanceof AwsError;
}

/** An entry of a service's error catalogue: the status and default message of one code. */
export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
}

export type Catalogue = Readonly<Record<string, ErrorSpec>>;

/**
 * Builds typed factories from a catalogue so a misspelled code does not compile:
 * `s3Error('NoSuchKey')`, or with a message and fields.
 */
export function errorFactory<C extends Catalogue>(catalogue: C) {
  return (code: keyof C & string, message?: string, fields?: AwsErrorInit['fields'], headers?: Record<string, string>): AwsError => {
    const spec = catalogue[code]!;
    return new AwsError({ code, status: spec.status, message: message ?? spec.message, fields, headers });
  };
}
