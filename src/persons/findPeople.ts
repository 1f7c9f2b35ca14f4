import type { PersonRecord } from '../../adapters/types';
import { mergeNotChecked, systemsAboveClearance, visiblePersonSystems, type PersonSystem, type SourceCheck } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { askSystems } from './askSystems';
import { assertNotTooBroad, prepareSearch, type SearchCriteria } from '../search/searchYoungPeople';
import type { PersonView } from './PersonDirectory';

export interface PersonMatch {
  /** The gateway person ID (what results are ranked and paged by). */
  id: string;
  score: number;
  person: PersonView;
}

export interface FoundPeople {
  matches: PersonMatch[];
  /**
   * Systems that were not searched: those that failed (also reported as SOURCE_UNAVAILABLE errors on the
   * response) and those above the caller's clearance.
   */
  notChecked: SourceCheck[];
}

const ADAPTER_KEY = { IYSS: 'iyss', UMIS: 'umis', YOIS: 'yois' } as const;

/**
 * Searches every person-holding system the caller may see, in parallel, ranks each record, and
 * folds records into gateway people (a person scores as their best record). A system that fails is
 * reported as not checked; the others still answer.
 */
export async function findPeople(context: GatewayContext, criteria: SearchCriteria): Promise<FoundPeople> {
  const { config, sources, persons } = context.services;
  const maxCandidates = config.limits.maxSearchCandidates;
  const search = prepareSearch(criteria, maxCandidates);
  const { answers, failed } = await askSystems(context, visiblePersonSystems(context.authz), (system) => sources[ADAPTER_KEY[system]].findCandidates(search.filter));
  const scored: Array<{ record: PersonRecord; score: number; system: PersonSystem }> = [];
  for (const { system, value: records } of answers) {
    assertNotTooBroad(records.length, maxCandidates);
    for (const record of records) {
      const score = search.score(record);
      if (score > 0) scored.push({ record, score, system });
    }
  }
  primeRecordLoaders(context, scored);
  const people = await persons.personsForRecords(scored.map(({ system, record }) => ({ system, sourceId: record.sourceId })));
  const best = new Map<string, PersonMatch>();
  people.forEach((person, index) => {
    const score = scored[index]!.score;
    const current = best.get(person.personId);
    if (!current || score > current.score) best.set(person.personId, { id: person.personId, score, person });
  });
  return { matches: [...best.values()], notChecked: mergeNotChecked([failed, systemsAboveClearance(context.authz)]) };
}

/** The records are already in hand: fields resolved later must not fetch them again. */
function primeRecordLoaders(context: GatewayContext, scored: ReadonlyArray<{ record: PersonRecord; system: PersonSystem }>) {
  for (const { record, system } of scored) {
    if (system === 'IYSS') context.loaders.iyssPerson.prime(record.sourceId, record);
    else if (system === 'UMIS') context.loaders.umisPerson.prime(record.sourceId, record);
  }
}

/** One page of people, as `YoungPersonConnection` returns it. */
export interface PersonEdge extends PersonMatch {
  cursor: string;
}

export interface PersonConnection {
  edges: PersonEdge[];
  hasNextPage: boolean;
  totalCount: number;
  notChecked: FoundPeople['notChecked'];
}
