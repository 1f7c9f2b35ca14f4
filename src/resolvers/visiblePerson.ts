import { SYSTEM_TIER } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { BadUserInputError, NotFoundError } from '../errors/errors';
import { decodePersonId } from '../ids/personId';
import type { PersonView } from '../persons/PersonDirectory';
import { loadRecords, visibleLinks } from './personRecords';
import { toApiError } from './sourceErrors';

const PERSON_ID = /^P-[0-9A-Z]{6,32}$/;

/**
 * The one answer for a young person the caller may not know of, whatever the reason: no such ID, a
 * record reference in a system above their clearance, a person none of whose records they may see,
 * or one whose records are all gone. Every operation that takes a person ID gives exactly this, so
 * no answer tells a guessed ID that exists from one that does not.
 */
export const PERSON_NOT_FOUND = 'No young person has that ID';

export const personNotFound = (): NotFoundError => new NotFoundError(PERSON_NOT_FOUND);

/** Whether `id` has the shape of a young person ID (a gateway person ID or a person record reference); false for anything else. */
export function isPersonIdShape(id: string): boolean {
  const ref = decodePersonId(id);
  return ref ? ref.source !== 'DMS' : PERSON_ID.test(id);
}

/**
 * Resolves a gateway person ID, or a record reference `yp:<SYSTEM>:<id>`, to a person the caller may
 * see: some record of theirs is in a system the caller's tier reaches and still exists. Anything else
 * is NOT_FOUND with the same message. A record reference above the caller's tier is refused before
 * anything is looked up, and nothing is ever written: an unknown record creates no person.
 */
export async function loadVisiblePerson(context: GatewayContext, id: string): Promise<PersonView> {
  let person: PersonView;
  const ref = decodePersonId(id);
  if (ref) {
    if (ref.source === 'DMS') throw new BadUserInputError('A DMS document ID is not a young person ID', 'BAD_ID');
    if (SYSTEM_TIER[ref.source] > context.authz.tier) throw personNotFound();
    person = await context.loaders.personForRecord.load(`${ref.source}:${ref.sourceId}`);
    if (!visibleLinks(person, context).some((link) => link.system === ref.source && link.sourceId === ref.sourceId)) {
      throw personNotFound();
    }
  } else if (PERSON_ID.test(id)) {
    const loaded = await context.loaders.person.load(id).catch((error: unknown) => error as Error);
    if (loaded instanceof Error) throw personNotFound();
    person = loaded;
  } else {
    throw new BadUserInputError(`"${id.slice(0, 80)}" is not a young person ID`, 'BAD_ID');
  }
  if (visibleLinks(person, context).length === 0) throw personNotFound();
  // The person exists for this caller only if some visible record still exists (or its system is down).
  const { records, failures } = await loadRecords(person, context);
  if (ref && !records.some((record) => record.source === ref.source && record.sourceId === ref.sourceId)) {
    // A reference to a record that does not exist names nobody, even when it is linked (a deleted record).
    if (failures.some((failure) => failure.source === ref.source)) throw toApiError(failures.find((f) => f.source === ref.source)!);
    throw personNotFound();
  }
  if (records.length === 0 && failures.length === 0) throw personNotFound();
  if (records.length === 0) throw toApiError(failures[0]!);
  return person;
}
