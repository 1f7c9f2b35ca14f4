import { WriteRejected } from '../../adapters/types';
import { breachStatus, BreachStepRefused, planBreachStep, type BreachStep } from '../breach/breachStage';
import type { GatewayContext } from '../context/GatewayContext';
import type { BreachStepInput, MutationResolvers, OrderResolvers } from '../generated/graphql';
import { runRecordedWrite, type RecordedWrite } from '../writes/runRecordedWrite';
import { idempotencyKey, pastDate, requiredText } from '../writes/validateInput';
import { writeTarget } from '../writes/writeTarget';
import { fromSource } from './sourceErrors';

/**
 * One breach step: the order must be the young person's (else the same NOT_FOUND as any write), and
 * the process must allow the step now, judged in YOIS's own transaction from what it holds (else
 * BAD_USER_INPUT with reason INVALID_TRANSITION, the message saying why and what is allowed).
 */
async function breachStep(
  context: GatewayContext,
  step: BreachStep,
  args: { idempotencyKey: string; personId: string; step: BreachStepInput; decision?: 'RETURN_TO_COURT' | 'CONTINUE_ORDER' },
): Promise<RecordedWrite> {
  const coordinate = `Mutation.${step}`;
  const key = idempotencyKey(args.idempotencyKey);
  const orderId = requiredText('step.orderId', args.step.orderId, 20);
  const now = context.services.clock.now();
  const date = pastDate('step.date', args.step.date, now);
  const text = requiredText('step.notes', args.step.notes, 1_000);
  const { person, record } = await writeTarget(context, coordinate, args.personId, 'YOIS');
  const input = { date, text, workerName: context.principal.name, decision: args.decision, now };
  return runRecordedWrite(context, {
    coordinate,
    idempotencyKey: key,
    request: { personSourceId: record.sourceId, orderId, date, text, decision: args.decision ?? null },
    personId: person.personId,
    involved: [person.personId],
    system: 'YOIS',
    recordType: `YOIS breach step (${step})`,
    inputName: 'step',
    write: () =>
      context.services.writers.yois.applyBreachStep(record.sourceId, orderId, (facts) => {
        try {
          return planBreachStep(step, facts, input);
        } catch (error) {
          if (error instanceof BreachStepRefused) throw new WriteRejected('YOIS', 'orderId', error.message, 'INVALID_TRANSITION');
          throw error;
        }
      }),
  });
}

export const breachMutationResolvers: Pick<MutationResolvers, 'recordContactAttempt' | 'issueBreachWarning' | 'referBreachToPanel' | 'recordBreachPanelDecision'> = {
  recordContactAttempt: (_parent, args, context) => breachStep(context, 'recordContactAttempt', args),
  issueBreachWarning: (_parent, args, context) => breachStep(context, 'issueBreachWarning', args),
  referBreachToPanel: (_parent, args, context) => breachStep(context, 'referBreachToPanel', args),
  recordBreachPanelDecision: (_parent, args, context) => breachStep(context, 'recordBreachPanelDecision', args),
};

export const orderBreachResolvers: Pick<OrderResolvers, 'breach'> = {
  breach: async (parent, _args, context) => {
    const facts = await fromSource(context.loaders.sources.call('YOIS', () => context.services.writers.yois.breachFactsOfOrder(parent.orderId)));
    return breachStatus(facts, context.services.clock.now());
  },
};
