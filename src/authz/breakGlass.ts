/** Break-glass: time-limited access to one young person outside the caller's Core Units, with a stated reason. */

export type BreakGlassReviewOutcome = 'JUSTIFIED' | 'NOT_JUSTIFIED';

export interface BreakGlassReviewRecord {
  reviewedBy: string;
  reviewerName: string;
  reviewedAt: string;
  outcome: BreakGlassReviewOutcome;
  notes: string;
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
  /** Records the one review of a grant; false when it was already reviewed. */
  review(grantId: string, review: Omit<BreakGlassReviewRecord, 'reviewedAt'>): Promise<boolean>;
}

/** Whether a grant is in force at `now`. */
export const isActive = (grant: BreakGlassGrantRecord, now: Date): boolean => {
  const at = now.toISOString();
  return grant.openedAt <= at && at < grant.expiresAt;
};
