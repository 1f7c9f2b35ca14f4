import { RecordNotFound, SourceFailure, WriteRejected, type SourceSystem, type WrittenRecord } from '../../adapters/types';
import type { GatewayContext } from '../context/GatewayContext';
import { BadUserInputError, InvalidFieldError, SourceUnavailableError } from '../errors/errors';
import { BreakerOpen } from '../sources/sourceBreakers';
import { describeFailure } from '../sources/sourceGuard';
import { writeTargetNotFound } from './writeTarget';

/** What a write mutation answers (the `RecordedWrite` type). */
export interface RecordedWrite {
  system: SourceSystem;
  recordType: string;
  recordId: string;
  personId: string | null;
  recordedAt: string;
  replayed: boolean;
}

/** One write, checked and ready: everything `runRecordedWrite` needs to make it once. */
export interface PlannedWrite {
  /** e.g. `Mutation.recordContact`. */
  coordinate: string;
  idempotencyKey: string;
  /** The arguments that define the write (normalised), so a key reused for another write is caught. */
  request: unknown;
  /** The young person the result names (null for a group session). */
  personId: string | null;
  /** Everyone the write concerns, for the access audit. */
  involved: readonly string[];
  system: SourceSystem;
  recordType: string;
  /** `input` prefix for fields a source refuses (`contact`: `contact.contactType`). */
  inputName: string;
  write(): Promise<WrittenRecord>;
}

/** How long a retry waits for the same key's first request to finish before saying it is still in progress. */
const WAIT_FOR_FIRST_MS = 3_000;
const POLL_MS = 25;

function audit(context: GatewayContext, plan: PlannedWrite): void {
  for (const personId of new Set(plan.involved)) context.involved.push({ personId, coordinate: plan.coordinate, refused: false });
}

/** Runs the write through the source's circuit breaker, turning what the source says into the API's errors. */
async function writeThroughSource(context: GatewayContext, plan: PlannedWrite): Promise<WrittenRecord> {
  try {
    return await context.services.breakers[plan.system].run(() => plan.write());
  } catch (error) {
    if (error instanceof WriteRejected) throw new InvalidFieldError(`${plan.inputName}.${error.field}`, error.message, error.reason);
    if (error instanceof RecordNotFound) throw writeTargetNotFound();
    if (error instanceof BreakerOpen) throw new SourceUnavailableError(plan.system, 'circuit open after repeated failures; retried shortly');
    if (error instanceof SourceFailure) throw new SourceUnavailableError(error.source, error.reason);
    context.log.warn({ source: plan.system, code: (error as { code?: unknown })?.code, err: error }, 'write failed');
    throw new SourceUnavailableError(plan.system, `${describeFailure(error)}; nothing was written`);
  }
}

/**
 * The first result of a write this caller already made with this key, or null. For a write whose own
 * effect would fail its checks on a retry (registering someone already registered), asked first.
 */
export async function earlierResult(context: GatewayContext, idempotencyKey: string, coordinate: string): Promise<RecordedWrite | null> {
  const ledger = context.services.writeLedger;
  const state = await ledger.read(ledger.keyOf(context.principal.sub, idempotencyKey));
  if (state.kind !== 'DONE') return null;
  const result = state.result as RecordedWrite;
  if (result.personId) context.involved.push({ personId: result.personId, coordinate, refused: false });
  return { ...result, replayed: true };
}

/**
 * Makes a planned write at most once per caller and idempotency key: the first request claims the
 * key in the write ledger (a unique key in the gateway store) and writes to the source in the
 * source's own transaction; a retry with the same key gets the first result back (`replayed`) and
 * writes nothing, even while the first is still under way (it waits for it). A key used for a
 * different write is refused. A write that failed wrote nothing, so its key may be used again.
 * Every write, and every replay, is audited against the young people it concerns.
 */
export async function runRecordedWrite(context: GatewayContext, plan: PlannedWrite): Promise<RecordedWrite> {
  const ledger = context.services.writeLedger;
  const claimRequest = { actor: context.principal.sub, idempotencyKey: plan.idempotencyKey, coordinate: plan.coordinate, request: plan.request, personId: plan.personId };
  const started = Date.now();
  for (;;) {
    const claim = await ledger.claim(claimRequest);
    if (claim.kind === 'KEY_REUSED') {
      throw new InvalidFieldError('idempotencyKey', 'This idempotencyKey was already used for a different write: use a new key for each write', 'IDEMPOTENCY_KEY_REUSED');
    }
    if (claim.kind === 'DONE') {
      audit(context, plan);
      return { ...(claim.result as RecordedWrite), replayed: true };
    }
    if (claim.kind === 'CLAIMED') {
      let written: WrittenRecord;
      try {
        written = await writeThroughSource(context, plan);
      } catch (error) {
        await ledger.fail(claim.writeKey).catch((failure: unknown) => context.log.error({ err: failure }, 'write ledger: could not release a failed write'));
        throw error;
      }
      const result: RecordedWrite = {
        system: plan.system,
        recordType: plan.recordType,
        recordId: written.recordId,
        personId: plan.personId,
        recordedAt: context.services.clock.now().toISOString(),
        replayed: false,
      };
      audit(context, plan);
      await ledger
        .complete(claim.writeKey, { system: plan.system, recordId: written.recordId, result })
        // The record is written; a retry will be told it is in progress rather than write it again.
        .catch((failure: unknown) => context.log.error({ err: failure, system: plan.system, recordId: written.recordId }, 'write ledger: write made but not marked done'));
      return result;
    }
    if (Date.now() - started > WAIT_FOR_FIRST_MS) {
      throw new BadUserInputError('A write with this idempotencyKey is still in progress: retry in a moment to get its result', 'WRITE_IN_PROGRESS');
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
