import { mergeNotChecked, systemsAboveClearance } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { BadUserInputError } from '../errors/errors';
import { findPeople, type FoundPeople, type PersonMatch } from '../persons/findPeople';
import type { PersonView } from '../persons/PersonDirectory';
import type { SearchCriteria } from '../search/searchYoungPeople';

export interface TriageReferral {
  forename?: string | null;
  surname?: string | null;
  dateOfBirth?: string | null;
  postcode?: string | null;
  familyMembers?: ReadonlyArray<{ forename?: string | null; surname?: string | null; dateOfBirth?: string | null }> | null;
}

export interface TriageMatch {
  score: number;
  person: PersonView;
}

export interface TriageOutcome {
  candidates: TriageMatch[];
  atSameAddress: PersonView[];
  familyMatches: TriageMatch[];
  notChecked: FoundPeople['notChecked'];
}

const MAX_FAMILY_MEMBERS = 10;

const best = (matches: PersonMatch[], first: number): TriageMatch[] =>
  [...matches]
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, first)
    .map(({ score, person }) => ({ score, person }));

/**
 * Partnership Triage: who a referral may be about, who lives at its address, and the family members
 * it names. The subject is searched on name and date of birth (not postcode: families move, and a
 * stale address must not hide a known child); the address is searched separately.
 */
export async function triageSearch(context: GatewayContext, referral: TriageReferral, first: number): Promise<TriageOutcome> {
  const { maxPageSize } = context.services.config.limits;
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) {
    throw new BadUserInputError(`first must be between 1 and ${maxPageSize} (the page size limit)`, 'PAGE_SIZE_LIMIT');
  }
  const family = referral.familyMembers ?? [];
  if (family.length > MAX_FAMILY_MEMBERS) {
    throw new BadUserInputError(`A referral may name at most ${MAX_FAMILY_MEMBERS} family members`, 'FAMILY_LIMIT');
  }
  const subject: SearchCriteria = { forename: referral.forename, surname: referral.surname, dateOfBirth: referral.dateOfBirth };
  const hasSubject = Boolean(referral.forename || referral.surname || referral.dateOfBirth);
  if (!hasSubject && !referral.postcode) {
    throw new BadUserInputError('A triage search needs a forename, surname, date of birth or postcode', 'NO_CRITERIA');
  }
  const [subjectFound, addressFound, ...familyFound] = await Promise.all([
    hasSubject ? findPeople(context, subject) : Promise.resolve<FoundPeople>({ matches: [], notChecked: [] }),
    referral.postcode ? findPeople(context, { postcode: referral.postcode }) : Promise.resolve<FoundPeople>({ matches: [], notChecked: [] }),
    ...family.map((member) => findPeople(context, { forename: member.forename, surname: member.surname, dateOfBirth: member.dateOfBirth })),
  ]);
  // Every search leaves out the systems above the caller's clearance, so the summary names them even when
  // a search found no one: "no candidates" from IYSS alone must not read as "no agency knows this child".
  const notChecked = mergeNotChecked([systemsAboveClearance(context.authz), ...[subjectFound!, addressFound!, ...familyFound].map((found) => found.notChecked)]);
  const subjectIds = new Set(subjectFound!.matches.map((match) => match.id));
  return {
    candidates: best(subjectFound!.matches, first),
    atSameAddress: addressFound!.matches.filter((match) => !subjectIds.has(match.id)).map((match) => match.person),
    familyMatches: best(familyFound.flatMap((found) => found.matches), first),
    notChecked,
  };
}
