import type { DemographicChange, DemographicField } from '../../adapters/types';
import { SYSTEM_TIER, type PersonSystem } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { ErrorCode, hasErrorCode } from '../errors/ErrorCode';
import { InvalidFieldError } from '../errors/errors';
import { linksForPersons, type StoreDatabase } from '../identity/linkStore';
import type { DemographicChangeInput } from '../generated/graphql';
import type { NewDelivery, OutboxEntry } from './demographicOutbox';
import { idempotencyKey, optionalText, requiredText } from './validateInput';
import { visibleWriteTarget } from './writeTarget';

/** What `changeDemographics` answers. */
export interface ChangeView {
  id: string;
  personId: string;
  replayed: boolean;
  deliveries: OutboxEntry[];
}

/**
 * The links a change travels along: those the matcher is sure of (a shared identifier, or a score over
 * the automatic threshold) and those a person confirmed. Anything else, such as a link proposed for
 * review, carries nothing: a change must not reach another child's record.
 */
export const CARRYING_LINKS: ReadonlySet<string> = new Set(['DETERMINISTIC', 'PROBABILISTIC', 'CONFIRMED']);

const UK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i;
const COORDINATE = 'Mutation.changeDemographics';

function validChange(input: DemographicChangeInput): DemographicChange {
  const change: DemographicChange = {};
  if (input.forename != null) change.forename = requiredText('change.forename', input.forename, 50);
  if (input.surname != null) change.surname = requiredText('change.surname', input.surname, 50);
  if (input.knownAs != null) change.knownAs = optionalText('change.knownAs', input.knownAs, 50);
  if (input.address != null) {
    const postcode = input.address.postcode.trim().toUpperCase();
    if (!UK_POSTCODE.test(postcode)) throw new InvalidFieldError('change.address.postcode', `change.address.postcode "${postcode.slice(0, 12)}" is not a UK postcode`, 'INVALID_VALUE');
    change.address = { line1: optionalText('change.address.line1', input.address.line1, 100), postcode: `${postcode.replace(/\s+/g, '').slice(0, -3)} ${postcode.replace(/\s+/g, '').slice(-3)}` };
  }
  if (Object.keys(change).length === 0) throw new InvalidFieldError('change', 'change names no field to change', 'REQUIRED');
  return change;
}

/** The part of a change a system accepts, or null when it accepts none of it. */
function acceptedPart(change: DemographicChange, fields: readonly DemographicField[]): DemographicChange | null {
  const part: DemographicChange = {};
  for (const field of fields) if (change[field] !== undefined) Object.assign(part, { [field]: change[field] });
  return Object.keys(part).length ? part : null;
}

const writerOf = (context: GatewayContext, system: PersonSystem) => context.services.writers[system.toLowerCase() as 'iyss' | 'umis' | 'yois'];

/**
 * Whether this caller may write to a system's record of this person: its tier, and need to know above
 * tier 1. SOURCE_UNAVAILABLE when need to know cannot be judged (a system holding allocations could not
 * be read): leaving that record out would look like a change made everywhere it should go.
 */
async function mayWriteTo(context: GatewayContext, personId: string, system: PersonSystem): Promise<boolean> {
  if (SYSTEM_TIER[system] > context.authz.tier) return false;
  if (SYSTEM_TIER[system] < 2) return true;
  const known = await context.authz.mayKnowDetail(personId);
  if (hasErrorCode(known, ErrorCode.SOURCE_UNAVAILABLE)) throw known;
  return known === true;
}

/**
 * Makes a change of details once: checks it, queues one outbox row per linked record it is to reach
 * (links in CARRYING_LINKS, systems that accept the fields and that the caller may write to), then
 * tries each at once; whatever a system could not take now stays PENDING for the delivery rounds.
 * Idempotent by the caller's key like every write.
 */
export async function propagateChange(context: GatewayContext, args: { idempotencyKey: string; personId: string; change: DemographicChangeInput }): Promise<ChangeView> {
  const key = idempotencyKey(args.idempotencyKey);
  const change = validChange(args.change);
  const visible = await visibleWriteTarget(context, COORDINATE, args.personId, 1);
  const { services } = context;
  const personId = await services.identity.place(visible.personId);
  const claim = await services.writeLedger.claim({ actor: context.principal.sub, idempotencyKey: key, coordinate: COORDINATE, request: { personId, change }, personId });
  context.involved.push({ personId, coordinate: COORDINATE, refused: false });
  if (claim.kind === 'KEY_REUSED') {
    throw new InvalidFieldError('idempotencyKey', 'This idempotencyKey was already used for a different write: use a new key for each write', 'IDEMPOTENCY_KEY_REUSED');
  }
  if (claim.kind !== 'CLAIMED') {
    // Done, or a retry racing the first: the change was queued (or is being queued) once; show where it stands.
    const done = claim.kind === 'DONE' ? (claim.result as { id: string }) : await waitForFirst(context, key);
    return { id: done.id, personId, replayed: true, deliveries: await services.outbox.byChange(done.id) };
  }
  let queued;
  try {
    const [links] = await linksForPersons(services.store.database as unknown as StoreDatabase<unknown>, [personId]);
    const deliveries: NewDelivery[] = [];
    for (const link of Array.isArray(links) ? links : []) {
      const system = link.source as PersonSystem;
      if (!CARRYING_LINKS.has(link.method) || !(system in SYSTEM_TIER)) continue;
      const part = acceptedPart(change, writerOf(context, system).demographicFields);
      if (!part || !(await mayWriteTo(context, personId, system))) continue;
      deliveries.push({ system, sourceId: link.sourceId, link: { method: link.method, madeBy: link.madeBy, madeAt: link.madeAt }, change: part });
    }
    queued = await services.outbox.enqueue(personId, context.principal.sub, deliveries, services.clock.now());
  } catch (error) {
    await services.writeLedger.fail(claim.writeKey);
    throw error;
  }
  await services.writeLedger.complete(claim.writeKey, { system: 'GATEWAY', recordId: queued.changeId, result: { id: queued.changeId } });
  // Applied at once where the system is up; a failure here only leaves the row PENDING for the next round.
  const leased = await services.outbox.claim(queued.entries.map((entry) => entry.outboxId), services.clock.now(), services.config.outbox.leaseMs);
  await services.changeDelivery.deliver(leased);
  return { id: queued.changeId, personId, replayed: false, deliveries: await services.outbox.byChange(queued.changeId) };
}

async function waitForFirst(context: GatewayContext, key: string): Promise<{ id: string }> {
  const ledger = context.services.writeLedger;
  for (let waited = 0; waited < 3_000; waited += 25) {
    const state = await ledger.read(ledger.keyOf(context.principal.sub, key));
    if (state.kind === 'DONE') return state.result as { id: string };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new InvalidFieldError('idempotencyKey', 'A change with this idempotencyKey is still being queued: retry in a moment', 'WRITE_IN_PROGRESS');
}

/** A person's changes, for records in systems this caller may see (need to know above tier 1). */
export async function visibleDeliveries(context: GatewayContext, personId: string): Promise<OutboxEntry[]> {
  const entries = await context.services.outbox.byPerson(personId);
  const allowed = new Map<PersonSystem, boolean>();
  const out: OutboxEntry[] = [];
  for (const entry of entries) {
    if (!allowed.has(entry.system)) allowed.set(entry.system, await mayWriteTo(context, personId, entry.system));
    if (allowed.get(entry.system)) out.push(entry);
  }
  return out;
}
