/**
 * How a request that reached personal data ended (the `AuditOutcome` enum of the schema); STARTED is
 * the event a mutation writes before it runs.
 */
export type AuditOutcome = 'RETURNED' | 'PARTIAL' | 'DENIED' | 'FAILED' | 'STARTED';

/** One young person an audited request concerned. */
export interface AuditedPerson {
  personId: string;
  /** The break-glass grant this person's data was reached under, if any. */
  breakGlassId: string | null;
  /** Schema coordinates (`Type.field`) of this person's data returned in the response, sorted. */
  returned: string[];
  /** Schema coordinates of this person's data refused, sorted. */
  denied: string[];
}

/** What the audit records about one request, before it is placed in the chain. */
export interface AuditEventInput {
  /** ISO instant. */
  at: string;
  requestId: string;
  principal: { sub: string; roles: readonly string[]; tier: number; units: readonly string[] };
  /** `query Person`, `mutation`, ... */
  operation: string | null;
  purpose: string | null;
  people: AuditedPerson[];
  /** Every personal-data coordinate returned, sorted. */
  returned: string[];
  /** Every personal-data coordinate refused, sorted. */
  denied: string[];
  outcome: AuditOutcome;
}

/** An event as stored in the chain. */
export interface StoredAuditEvent extends Omit<AuditEventInput, 'principal'> {
  seq: number;
  principal: { sub: string; roles: string[]; tier: number; units: string[] };
  /** Distinct break-glass grants used by the request, sorted. */
  breakGlassIds: string[];
  prevHash: string;
  hash: string;
}

/** The outcome of walking the chain: `firstBrokenSeq` is null when it is intact. */
export interface AuditChainVerification {
  events: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

/** Which events an auditor asks for; every filter is optional and they combine with AND. */
export interface AuditFilter {
  personId?: string | null;
  sub?: string | null;
  /** Inclusive ISO instant. */
  from?: string | null;
  /** Exclusive ISO instant. */
  to?: string | null;
  breakGlassId?: string | null;
}

/** A page of events, newest first. */
export interface AuditPage {
  events: StoredAuditEvent[];
  hasNextPage: boolean;
  totalCount: number;
}

/** The audit trail in the gateway store: append, query, verify. */
export interface AuditLog {
  /** Appends one event to the chain; resolves once it is committed, rejects when it could not be. */
  record(event: AuditEventInput): Promise<StoredAuditEvent>;
  /** Events matching `filter`, newest first; `beforeSeq` continues a previous page. */
  query(filter: AuditFilter, page: { first: number; beforeSeq?: number | null }): Promise<AuditPage>;
  /** Walks the whole chain from its first event and reports the first broken link (checked against signed checkpoints when configured). */
  verify(): Promise<AuditChainVerification>;
  /** The newest event this process appended, or else the chain head as stored: what a checkpoint anchors. */
  latest(): Promise<{ seq: number; hash: string } | null>;
}
