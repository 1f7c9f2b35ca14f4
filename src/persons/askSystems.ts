import type { SourceFailure } from '../../adapters/types';
import type { PersonSystem, SourceCheck } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';

/**
 * Asks several systems the same question at once, each behind its breaker and the request's per-source
 * slots. A system that fails is reported (SOURCE_UNAVAILABLE on the response) and listed as not checked;
 * the others' answers come back, in the order asked.
 */
export async function askSystems<S extends PersonSystem, T>(
  context: GatewayContext,
  systems: readonly S[],
  ask: (system: S) => Promise<T>,
): Promise<{ answers: Array<{ system: S; value: T }>; failed: SourceCheck[] }> {
  const settled = await Promise.all(
    systems.map((system) =>
      context.loaders.sources.call(system, () => ask(system)).then(
        (value) => ({ system, value }),
        (failure: SourceFailure) => ({ system, failure }),
      ),
    ),
  );
  const answers: Array<{ system: S; value: T }> = [];
  const failed: SourceCheck[] = [];
  for (const answer of settled) {
    if ('failure' in answer) {
      failed.push({ system: answer.system, reason: answer.failure.reason, cause: 'SOURCE_UNAVAILABLE' });
      context.reportSourceFailure(answer.failure);
    } else answers.push(answer);
  }
  return { answers, failed };
}
