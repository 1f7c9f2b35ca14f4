import type { GatewayContext } from '../context/GatewayContext';
import { BadUserInputError } from '../errors/errors';

/** A list's `first` argument, checked against the configured page size limit (default 50). */
export function pageSize(context: Pick<GatewayContext, 'services'>, first: number | null | undefined): number {
  const limit = context.services.config.limits.maxPageSize;
  const size = first ?? 50;
  if (!Number.isInteger(size) || size < 1 || size > limit) {
    throw new BadUserInputError(`first must be between 1 and ${limit} (the page size limit)`, 'PAGE_SIZE_LIMIT');
  }
  return size;
}
