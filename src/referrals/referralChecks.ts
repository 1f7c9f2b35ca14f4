import type { PersonRecord } from '../../adapters/types';
import { ABOVE_CLEARANCE_REASON, mayKnowInvolvement, PERSON_SYSTEMS, visiblePersonSystems } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { goldenRecord } from '../persons/goldenRecord';
import { involvementOf, personLoader, WITHHELD_REASON } from '../persons/involvement';
import type { PersonView } from '../persons/PersonDirectory';
import { triageSearch, type TriageMatch } from '../triage/triageSearch';
import type { AgencyCheck, ReferralChecks, ReferralCheckedPerson, ReferralView } from './Referral';

/** Candidates kept per search: the best one for the subject, and the best few family matches. */
const FAMILY_MATCHES_KEPT = 10;

/** Each agency system's answer about one gateway person, as `YoungPerson.involvement` gives it, stamped with when it was checked. */
async function agencyChecksFor(context: GatewayContext, person: PersonView, checkedAt: string): Promise<AgencyCheck[]> {
  return (await involvementOf(context, person)).map((answer) => ({ ...answer, checkedAt }));
}

/** The person as the systems this caller may see recorded them at the time of the check. */
async function checkedPerson(context: GatewayContext, match: TriageMatch, checkedAt: string): Promise<ReferralCheckedPerson> {
  const visible = new Set<string>(visiblePersonSystems(context.authz));
  const links = match.person.records.filter((record) => visible.has(record.system));
  const records = (
    await Promise.all(links.map((link) => personLoader(context, link.system).load(link.sourceId).catch((error: unknown) => error as Error)))
  ).filter((record): record is PersonRecord => !(record instanceof Error));
  const golden = goldenRecord(records);
  return {
    personId: match.person.personId,
    score: match.score,
    forename: golden?.forename ?? null,
    surname: golden?.surname ?? null,
    dateOfBirth: golden?.dateOfBirth ?? null,
    agencies: await agencyChecksFor(context, match.person, checkedAt),
  };
}

/**
 * Runs the triage search for a referral and freezes what it found: the best candidate for the
 * subject and the best family matches, each with every agency system's answer, and what the search
 * could not reach. When no one matched the subject, each system's answer is what its search said:
 * NOT_KNOWN if it was searched, NOT_CHECKED if it could not be or was above the caller's clearance.
 */
export async function runReferralChecks(
  context: GatewayContext,
  referral: ReferralView,
): Promise<{ checks: ReferralChecks; found: { personId: string; records: Array<{ system: string; sourceId: string }> } | null }> {
  const checkedAt = context.services.clock.now().toISOString();
  const { subject, familyMembers } = referral;
  const first = Math.min(FAMILY_MATCHES_KEPT, context.services.config.limits.maxPageSize);
  const found = await triageSearch(context, { ...subject, familyMembers }, first);
  const best = found.candidates[0] ?? null;
  const bestCandidate = best ? await checkedPerson(context, best, checkedAt) : null;
  const familyMatches = await Promise.all(found.familyMatches.map((match) => checkedPerson(context, match, checkedAt)));
  const searched = new Set<string>(visiblePersonSystems(context.authz));
  const failed = new Map(found.notChecked.filter((entry) => entry.cause === 'SOURCE_UNAVAILABLE').map((entry) => [entry.system, entry.reason]));
  const subjectAgencies: AgencyCheck[] =
    bestCandidate?.agencies ??
    PERSON_SYSTEMS.map((system) => {
      if (!mayKnowInvolvement(context.authz, system)) return { system, status: 'WITHHELD', reason: WITHHELD_REASON, checkedAt };
      if (failed.has(system)) return { system, status: 'NOT_CHECKED', reason: failed.get(system) ?? null, checkedAt };
      if (!searched.has(system)) return { system, status: 'NOT_CHECKED', reason: ABOVE_CLEARANCE_REASON, checkedAt };
      return { system, status: 'NOT_KNOWN', reason: null, checkedAt };
    });
  const checks: ReferralChecks = {
    checkedAt,
    checkedBy: context.principal.sub,
    searchedFor: subject,
    subjectAgencies,
    bestCandidate,
    familyMatches,
    notChecked: found.notChecked,
  };
  // Every record of the person found, as identity links hold them now: later referrals connect through
  // whichever of them the reader may see (and through today's links, should they change).
  const person = best ? { personId: best.person.personId, records: best.person.records.map((record) => ({ system: record.system, sourceId: record.sourceId })) } : null;
  return { checks, found: person };
}
