/** Break-glass: time-limited access to one young person outside the caller's Core Units, with a stated reason. */

export type BreakGlassReviewOutcome = 'JUSTIFIED' | 'NOT_JUSTIFIED';

export interface BreakGlassReviewRecord {
  reviewedBy: string;
  reviewerName: string;
  reviewedAt: string;
  outcome: BreakGlassReviewOutcome;
  notes: string;
}

/** Why a grant ended before it expired. */
export type BreakGlassClosureCause = 'CLOSED_BY_HOLDER' | 'CLOSED_BY_SECURITY_OFFICER' | 'REVIEWED_NOT_JUSTIFIED';

/** The end of a grant before its expiry: appended, never an update of the grant. */
export interface BreakGlassClosureRecord {
  closedBy: string;
  closerName: string;
  closedAt: string;
  cause: BreakGlassClosureCause;
  reason: string;
}

export interface BreakGlassGrantRecord {
  grantId: string;
  personId: string;
  holder: string;
  holderName: string;
  holderRoles: string[];
  reason: string;
  openedAt: string;
  expiresAt: string;
  review: BreakGlassReviewRecord | null;
  /** Set once the grant was ended early (closed, or reviewed NOT_JUSTIFIED); it is then never in force again. */
  closure: BreakGlassClosureRecord | null;
}

export interface BreakGlassGrants {
  /** The caller's grants in force at `now`: person ID -> grant ID (one statement; expiry is a time comparison). */
  activeFor(sub: string, now: Date): Promise<ReadonlyMap<string, string>>;
  open(input: { personId: string; holder: string; holderName: string; holderRoles: readonly string[]; reason: string; minutes: number }): Promise<BreakGlassGrantRecord>;
  get(grantId: string): Promise<BreakGlassGrantRecord | null>;
  /** Every grant for a young person, newest first. */
  byPerson(personId: string): Promise<BreakGlassGrantRecord[]>;
  /** Grants not yet reviewed (active or expired), oldest first. */
  reviewQueue(limit: number): Promise<BreakGlassGrantRecord[]>;
  /**
   * Records the one review of a grant; false when it was already reviewed. A NOT_JUSTIFIED review also
   * ends the grant, in the same transaction, so its next use is refused.
   */
  review(grantId: string, review: Omit<BreakGlassReviewRecord, 'reviewedAt'>): Promise<boolean>;
  /** Ends a grant early; false when it had already been ended. */
  close(grantId: string, closure: Omit<BreakGlassClosureRecord, 'closedAt'>): Promise<boolean>;
}

/** Whether a grant is in force at `now`. */
export const isActive = (grant: BreakGlassGrantRecord, now: Date): boolean => {
  const at = now.toISOString();
  return grant.closure === null && grant.openedAt <= at && at < grant.expiresAt;
};
