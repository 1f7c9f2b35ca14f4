import type { PersonRecord } from '../../adapters/types';
import { SourceFailure } from '../../adapters/types';
import { visiblePersonSystems, type PersonSystem } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { SourceUnavailableError } from '../errors/errors';
import { goldenRecord, type GoldenPerson } from '../persons/goldenRecord';
import { personLoader } from '../persons/involvement';
import { toApiError } from './sourceErrors';
import type { LinkedRecord, PersonView } from '../persons/PersonDirectory';

export interface LoadedRecords {
  records: PersonRecord[];
  /** Systems that could not be read for this person. */
  failures: SourceFailure[];
}

/** The linked records of a person in the systems this caller may see, loaded through the per-request loaders. */
export function visibleLinks(person: PersonView, context: GatewayContext, system?: PersonSystem): LinkedRecord[] {
  const visible = new Set<string>(visiblePersonSystems(context.authz));
  return person.records.filter((record) => visible.has(record.system) && (!system || record.system === system));
}

export async function loadRecords(person: PersonView, context: GatewayContext): Promise<LoadedRecords> {
  const links = visibleLinks(person, context);
  const results = await Promise.all(
    links.map((link) => personLoader(context, link.system).load(link.sourceId).catch((error: unknown) => error as Error)),
  );
  const records: PersonRecord[] = [];
  const failures: SourceFailure[] = [];
  for (const result of results) {
    if (result instanceof SourceFailure) {
      failures.push(result);
      context.reportSourceFailure(result);
    }
    else if (!(result instanceof Error)) records.push(result);
  }
  return { records, failures };
}

/** The golden view, or SOURCE_UNAVAILABLE when no linked record could be read at all. */
export async function loadGolden(person: PersonView, context: GatewayContext): Promise<GoldenPerson> {
  const { records, failures } = await loadRecords(person, context);
  const golden = goldenRecord(records);
  if (golden) return golden;
  const failure = failures[0];
  if (failure) throw toApiError(failure);
  throw new SourceUnavailableError('IYSS', 'no linked record could be read');
}
