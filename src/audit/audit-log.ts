/**
 * Decision records keyed by request id: what was asked, what was decided, and for denials
 * the full trace. Written off the request's critical path; read by `coffer explain`.
 */
export interface DecisionRecord {
  requestId: string;
  time: Date;
  principalArn: string;
  operation: string;
  action: string;
  resource: string;
  result: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  reason: string;
  message?: string;
  /** The engine's Decision (trace included for denials), as JSON. */
  decision?: unknown;
}

export interface AuditLog {
  record(r: DecisionRecord): void;
  byRequestId(requestId: string): Promise<DecisionRecord[]>;
  close(): Promise<void>;
}
