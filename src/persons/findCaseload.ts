import { mergeNotChecked, systemsAboveClearance, visiblePersonSystems } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { BadUserInputError } from '../errors/errors';
import type { CaseloadFilter } from '../generated/graphql';
import { REFERRAL_ALLOCATION_DAYS } from '../referrals/referralStore';
import { visibleLinks } from '../resolvers/personRecords';
import { askSystems } from './askSystems';
import type { FoundPeople, PersonMatch } from './findPeople';
import type { PersonView } from './PersonDirectory';

/** The systems that record which Core Unit a young person is allocated to (the same ones need to know reads). */
const ALLOCATING = { UMIS: 'umis', YOIS: 'yois' } as const;

/**
 * The caller's caseload: the young people allocated to one of the caller's Core Units, the same
 * allocations that give need to know (an open allocation in UMIS or YOIS, or an acknowledged referral
 * hand-off in the last REFERRAL_ALLOCATION_DAYS), and the young people the caller is allocated to by
 * name (a named worker across services, while the allocation is in force). Only allocating systems within the caller's clearance
 * are asked: a tier-1 worker's caseload never shows that a child has a youth-offending allocation.
 * A system that fails or is above clearance is reported as not checked; the others still answer.
 * Every person returned has a record the caller may see, so the list reveals nobody `youngPerson`
 * would not.
 */
export async function findCaseload(context: GatewayContext, filter: CaseloadFilter = {}): Promise<FoundPeople> {
  const { services, principal } = context;
  const { units, byUnit, byName } = caseloadSources(principal.units, filter);
  const limit = services.config.limits.maxSearchCandidates;
  const now = services.clock.now();
  const today = now.toISOString().slice(0, 10);
  const since = new Date(now.getTime() - REFERRAL_ALLOCATION_DAYS * 86_400_000).toISOString();
  const visible = new Set(visiblePersonSystems(context.authz));
  // Systems are asked only for units' allocations; a list of the caller's named allocations asks none.
  const allocating = byUnit ? (['UMIS', 'YOIS'] as const).filter((system) => visible.has(system)) : [];

  const [handed, named, { answers, failed }] = await Promise.all([
    byUnit ? services.referrals.personIdsHandedToUnits(units, since, limit + 1) : [],
    byName ? services.workerAllocations.inForceFor(principal.sub, now) : new Map<string, unknown>(),
    askSystems(context, allocating, (system) => services.sources[ALLOCATING[system]].personIdsAllocatedToUnits(units, today, limit + 1)),
  ]);
  const records: Array<{ system: 'UMIS' | 'YOIS'; sourceId: string }> = [];
  for (const { system, value: sourceIds } of answers) {
    tooLarge(sourceIds.length, limit);
    for (const sourceId of sourceIds) records.push({ system, sourceId });
  }
  tooLarge(handed.length, limit);
  const byId = [...new Set([...handed, ...named.keys()])];

  const people = new Map<string, PersonView>();
  for (const person of await services.persons.personsForRecords(records)) people.set(person.personId, person);
  const handedViews = await services.persons.personsByIds(byId.filter((id) => !people.has(id)));
  for (const view of handedViews) if (!(view instanceof Error)) people.set(view.personId, view);

  const matches: PersonMatch[] = [...people.values()]
    .filter((person) => visibleLinks(person, context).length > 0)
    .map((person) => ({ id: person.personId, score: 1, person }));
  return { matches, notChecked: mergeNotChecked([failed, byUnit ? systemsAboveClearance(context.authz) : []]) };
}

/** Which allocations a caseload lists: the caller's units' (all, or the one named) and/or their own by name. */
function caseloadSources(tokenUnits: readonly string[], filter: CaseloadFilter): { units: string[]; byUnit: boolean; byName: boolean } {
  if (filter.unit != null && filter.allocatedToMeByName) {
    throw new BadUserInputError('Filter a caseload by unit or by allocatedToMeByName, not both', 'BAD_CASELOAD_FILTER');
  }
  if (filter.unit != null) {
    if (!tokenUnits.includes(filter.unit)) throw new BadUserInputError(`${filter.unit} is not one of your Core Units (${tokenUnits.join(', ') || 'none'})`, 'NOT_YOUR_UNIT');
    return { units: [filter.unit], byUnit: true, byName: false };
  }
  if (filter.allocatedToMeByName) return { units: [], byUnit: false, byName: true };
  return { units: [...tokenUnits], byUnit: true, byName: true };
}

function tooLarge(found: number, limit: number): void {
  if (found > limit) {
    throw new BadUserInputError(`Your units' caseload has more than ${limit} young people; search for them by name instead`, 'CASELOAD_TOO_LARGE');
  }
}
