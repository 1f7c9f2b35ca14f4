import { RecordNotFound, SourceFailure } from '../../adapters/types';
import { NotFoundError, OverloadedError, SourceUnavailableError } from '../errors/errors';
import { SourceOverloaded } from '../sources/sourceGuard';

/** Turns adapter-level failures into the API's errors; anything else stays unexpected (and is masked). */
export function toApiError(error: unknown): unknown {
  if (error instanceof SourceOverloaded) return new OverloadedError();
  if (error instanceof SourceFailure) return new SourceUnavailableError(error.source, error.reason);
  if (error instanceof RecordNotFound) return new NotFoundError('No young person has that ID');
  return error;
}

/** Awaits a loader call, rethrowing adapter failures as API errors. */
export async function fromSource<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    throw toApiError(error);
  }
}
