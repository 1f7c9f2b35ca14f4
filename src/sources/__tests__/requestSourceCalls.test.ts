import { SourceFailure } from '../../../adapters/types';
import type { Logger } from '../../logging/logger';
import { createGatewayMetrics } from '../../metrics/gatewayMetrics';
import { createSourceCalls, type SourceCallOptions } from '../requestSourceCalls';
import { createSourceBreakers } from '../sourceBreakers';

/** A logger that keeps what was warned. */
function recordingLog(): { log: Logger; warnings: unknown[] } {
  const warnings: unknown[] = [];
  const log = { warn: (...args: unknown[]) => warnings.push(args), info: () => {}, error: () => {}, debug: () => {}, child: () => log } as unknown as Logger;
  return { log, warnings };
}

function callsWith(overrides: Partial<SourceCallOptions> = {}) {
  const { log, warnings } = recordingLog();
  const breakers = createSourceBreakers({ consecutiveFailures: 5, halfOpenAfterMs: 60_000 }, log);
  const calls = createSourceCalls({
    breakers,
    metrics: createGatewayMetrics(),
    log,
    attemptTimeoutMs: 200,
    deadlineAt: Date.now() + 5_000,
    maxConcurrentPerSource: 3,
    ...overrides,
  });
  return { calls, breakers, warnings };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:3306'), { code: 'ECONNREFUSED' });

describe('a request\u2019s source calls', () => {
  it('log a source\u2019s failure once per request, without the driver\u2019s message, however many calls fail', async () => {
    const { calls, warnings } = callsWith({ breakers: createSourceBreakers({ consecutiveFailures: 1_000, halfOpenAfterMs: 60_000 }, recordingLog().log) });
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => calls.call('IYSS', async () => Promise.reject(refused()))));
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof SourceFailure && r.reason.reason === 'connection refused')).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain('10.1.2.3');
  });

  it('open the breaker after 5 failures in a row; then fail at once without asking the source', async () => {
    const { calls, breakers } = callsWith();
    let asked = 0;
    const failing = async () => {
      asked += 1;
      throw Object.assign(new Error('gone'), { code: 'PROTOCOL_SEQUENCE_TIMEOUT' });
    };
    for (let i = 0; i < 5; i += 1) await expect(calls.call('UMIS', failing)).rejects.toBeInstanceOf(SourceFailure);
    expect(breakers.UMIS.state()).toBe('open');
    expect(breakers.IYSS.state()).toBe('closed');
    const before = asked;
    await expect(calls.call('UMIS', failing)).rejects.toMatchObject({ source: 'UMIS', reason: expect.stringMatching(/^circuit open/) });
    expect(asked).toBe(before);
  });

  it('retry a read once after a lost connection, but never after a timeout, and start nothing after the deadline', async () => {
    const { calls } = callsWith();
    let tries = 0;
    const value = await calls.call('IYSS', async () => {
      tries += 1;
      if (tries === 1) throw Object.assign(new Error('lost'), { code: 'PROTOCOL_CONNECTION_LOST' });
      return 'second time';
    });
    expect([value, tries]).toEqual(['second time', 2]);

    let slowTries = 0;
    await expect(
      calls.call('YOIS', async () => {
        slowTries += 1;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }),
    ).rejects.toMatchObject({ reason: 'no answer within 200 ms' });
    expect(slowTries).toBe(1);

    const late = callsWith({ deadlineAt: Date.now() - 1 }).calls;
    let lateTries = 0;
    await expect(late.call('DMS', async () => (lateTries += 1))).rejects.toMatchObject({ reason: expect.stringMatching(/deadline/) });
    expect(lateTries).toBe(0);
  });
});
