import type { AllocationRecord } from '../../adapters/types';
import { SourceFailure } from '../../adapters/types';
import type { GatewayContext } from '../context/GatewayContext';
import { SourceUnavailableError } from '../errors/errors';

function isOpen(allocation: AllocationRecord, today: string): boolean {
  return allocation.endDate === null || allocation.endDate >= today;
}

export interface Allocations {
  /** Core Units with an open allocation, from the records that could be read. */
  units: ReadonlySet<string>;
  /** A system whose allocations could not be read: what it holds is unknown, not absent. */
  unreadable: SourceUnavailableError | null;
}

/**
 * The Core Units a young person is currently allocated to, in UMIS or YOIS, or was handed to by an
 * acknowledged referral in the last REFERRAL_ALLOCATION_DAYS. Every linked record
 * counts, whatever the caller's clearance: this decides access, it discloses nothing. Batched through
 * the request's loaders, so judging a list of N people costs the same statements as judging one.
 * An allocation that could not be read is not proof of its absence: callers that find no matching
 * unit must report `unreadable` (SOURCE_UNAVAILABLE), never guess.
 */
export async function allocationsOf(context: Pick<GatewayContext, 'loaders' | 'services'>, personId: string): Promise<Allocations> {
  const person = await context.loaders.person.load(personId).catch(() => null);
  if (!person) return { units: new Set(), unreadable: null };
  const handedTo = context.loaders.referralUnits.load(personId);
  const results = await Promise.all(
    person.records
      .filter((record) => record.system === 'UMIS' || record.system === 'YOIS')
      .map((record) =>
        (record.system === 'UMIS' ? context.loaders.umisAllocations : context.loaders.yoisAllocations)
          .load(record.sourceId)
          .catch((error: unknown) => error as Error),
      ),
  );
  const today = context.services.clock.now().toISOString().slice(0, 10);
  const units = new Set<string>(await handedTo);
  let failure: SourceFailure | undefined;
  for (const result of results) {
    if (Array.isArray(result)) result.filter((a) => isOpen(a, today)).forEach((a) => units.add(a.unitId));
    else if (result instanceof SourceFailure) failure ??= result;
  }
  return { units, unreadable: failure ? new SourceUnavailableError(failure.source, failure.reason) : null };
}

/** Whether the young person is allocated to one of `units`; SOURCE_UNAVAILABLE when that cannot be told. */
export async function isAllocatedToAny(context: Pick<GatewayContext, 'loaders' | 'services'>, personId: string, units: readonly string[]): Promise<boolean> {
  const allocations = await allocationsOf(context, personId);
  if (units.some((unit) => allocations.units.has(unit))) return true;
  if (allocations.unreadable) throw allocations.unreadable;
  return false;
}
