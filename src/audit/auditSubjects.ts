/**
 * Types whose objects are about one young person and say which: each of these is resolved from a
 * value with a `personId` (a `PersonView`, an identity event, a checked person in a referral's
 * snapshot, an audit entry's person). The access audit attributes a field to the young person of the
 * nearest such object above it, and records a field that returns such objects as returning them.
 */
export const AUDIT_SUBJECT_TYPES: ReadonlySet<string> = new Set([
  'YoungPerson',
  'IdentityEvent',
  'ReferralCheckedPerson',
  'AuditedPerson',
  'PersonAccess',
  'BreakGlassGrant',
  'GapFinding',
  'GapRecord',
  'WorkerAllocation',
]);

/** The gateway person ID of a resolved object of one of the subject types, or null. */
export function subjectPersonId(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const personId = (value as { personId?: unknown }).personId;
  return typeof personId === 'string' && personId.length > 0 ? personId : null;
}
