/**
 * The AWS Query shape tables (generated from AWS's Smithy models by
 * tools/gen-query-shapes.ts): per operation its input and output shapes, per shape its type,
 * members and constraints. The decoder and encoder are driven by these alone.
 */
export type QueryShapeType = 'string' | 'boolean' | 'integer' | 'long' | 'double' | 'timestamp' | 'blob' | 'structure' | 'list' | 'map';

export interface QueryMember {
  target: string;
  required?: boolean;
}

export interface QueryShape {
  type: QueryShapeType;
  /** [min, max], either may be null: string length or list size. */
  length?: [number | null, number | null];
  pattern?: string;
  range?: [number | null, number | null];
  enum?: string[];
  members?: Record<string, QueryMember>;
  member?: string;
  key?: string;
  value?: string;
}

export interface QueryOperationModel {
  input?: string;
  output?: string;
}

export interface QueryServiceModel {
  service: string;
  version: string;
  xmlns: string;
  operations: Record<string, QueryOperationModel>;
  /** Error code (the awsQueryError code) → HTTP status and fault. */
  errors: Record<string, { status: number; fault: string }>;
  shapes: Record<string, QueryShape>;
}
