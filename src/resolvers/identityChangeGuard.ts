import { RecordNotFound, SourceFailure } from '../../adapters/types';
import { PERSON_SYSTEMS, SYSTEM_TIER } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { ErrorCode, hasErrorCode } from '../errors/ErrorCode';
import { NotFoundError, SourceUnavailableError } from '../errors/errors';
import { personLoader } from '../persons/involvement';
import type { PersonView, RecordRef } from '../persons/PersonDirectory';
import { loadVisiblePerson } from './visiblePerson';

/**
 * The one answer an identity change gives for any target the caller may not change: an unknown
 * person or record, one in a system above their clearance, a child they have no need to know, a
 * record that is not there. One message and code for all, so no refusal says whether a child or a
 * link exists.
 */
export const TARGET_NOT_FOUND = 'No young person or record that you may change has that reference';
export const EVENT_NOT_FOUND = 'No identity change that you may undo has that ID';


/** What a guarded change may go on with: the person named (as the caller sees it) and every person concerned. */
export interface GuardedChange {
  person: PersonView | null;
  /** Every stored person the change concerns (named, or holding a named record), for need to know and the audit. */
  involved: string[];
}

/** Notes the refusal against every stored person concerned (the audit records probes too), then refuses. */
function refuse(context: GatewayContext, coordinate: string, involved: Iterable<string>, message = TARGET_NOT_FOUND): never {
  for (const personId of new Set(involved)) {
    if (personId.startsWith('P-')) context.involved.push({ personId, coordinate, refused: true });
  }
  throw new NotFoundError(message);
}

/** The stored person behind an ID or record reference, when there is one: only for the audit of a refusal, never shown. */
async function storedPersonOf(context: GatewayContext, id: string): Promise<string | null> {
  const found = await context.loaders.person.load(id).catch(() => null);
  return found && found.personId.startsWith('P-') ? found.personId : null;
}

/**
 * Need to know as the read path judges tier-2+ detail (allocation to one of the caller's Core Units,
 * an acknowledged hand-off, or the caller's break-glass), for every person concerned. A person whose
 * records are all tier 1 has no detail a change could reveal and is let through, but only for a caller
 * who may know that (their clearance or involvement reaches every system): for anyone else, letting
 * such a person through and refusing one with a YOIS record would say which one holds it. A source
 * that could not say is SOURCE_UNAVAILABLE, never a guess.
 */
export async function knowsAll(context: GatewayContext, personIds: readonly string[]): Promise<boolean> {
  const seesEverySystem = PERSON_SYSTEMS.every((system) => context.authz.seesInvolvement(system));
  for (const personId of personIds) {
    const person = await context.loaders.person.load(personId).catch(() => null);
    if (seesEverySystem && (!person || person.records.every((record) => SYSTEM_TIER[record.system] < 2))) continue;
    const known = await context.authz.mayKnowDetail(personId);
    if (known === true) continue;
    if (hasErrorCode(known, ErrorCode.SOURCE_UNAVAILABLE)) throw known;
    return false;
  }
  return true;
}

/**
 * Checks, before anything is changed, that the caller may see the person named and every record
 * named: each record in a system their clearance reaches and present in that system, the person as
 * `youngPerson` would show it, and, when a record is tier 2 or above, need to know for the person
 * named and for every person holding a named record (see `knowsAll`). Any failure is TARGET_NOT_FOUND.
 */
export async function guardLinkChange(
  context: GatewayContext,
  coordinate: string,
  personId: string,
  records: readonly RecordRef[],
): Promise<GuardedChange & { person: PersonView }> {
  const person = await loadVisiblePerson(context, personId).catch(async (error: unknown) => {
    if (!hasErrorCode(error, ErrorCode.NOT_FOUND)) throw error;
    const stored = await storedPersonOf(context, personId);
    return refuse(context, coordinate, stored ? [stored] : []);
  });
  const involved = [person.personId];
  let sensitive = false;
  for (const record of records) {
    // Who holds the record now (from the store only, never shown): a refusal is audited against them too.
    const holder = await context.loaders.personForRecord.load(`${record.system}:${record.sourceId}`);
    if (SYSTEM_TIER[record.system] > context.authz.tier) refuse(context, coordinate, [...involved, holder.personId]);
    sensitive ||= SYSTEM_TIER[record.system] >= 2;
    const read = await personLoader(context, record.system).load(record.sourceId).catch((error: unknown) => error as Error);
    if (read instanceof SourceFailure) throw new SourceUnavailableError(read.source, read.reason);
    if (read instanceof RecordNotFound || read instanceof Error) refuse(context, coordinate, [...involved, holder.personId]);
    involved.push(holder.personId);
  }
  const concerned = [...new Set(involved)];
  if (sensitive && !(await knowsAll(context, concerned))) refuse(context, coordinate, concerned);
  return { person, involved: concerned };
}

/**
 * Checks that the caller may undo an identity event: every record it moved is in a system their
 * clearance reaches and, when one is tier 2 or above, they have need to know for every person it
 * concerned (see `knowsAll`). An unknown event and one they may not undo read alike.
 */
export async function guardUndo(context: GatewayContext, coordinate: string, eventId: string): Promise<GuardedChange> {
  const scope = await context.services.identity.eventScope(eventId);
  if (!scope) throw new NotFoundError(EVENT_NOT_FOUND);
  const stored = scope.personIds.filter((id) => id.startsWith('P-'));
  if (scope.records.some((record) => SYSTEM_TIER[record.system] > context.authz.tier)) refuse(context, coordinate, stored, EVENT_NOT_FOUND);
  const sensitive = scope.records.some((record) => SYSTEM_TIER[record.system] >= 2);
  if (sensitive && !(await knowsAll(context, stored))) refuse(context, coordinate, stored, EVENT_NOT_FOUND);
  return { person: null, involved: stored };
}
