import type { BreachAction, BreachFacts } from '../../adapters/types';

/**
 * The breach process on a statutory order, as the service runs it: a missed appointment is recorded;
 * the worker exhausts contact (at least one recorded contact attempt) before a warning is issued; two
 * warnings are two strikes, and at the second the case goes to the in-house panel, which decides
 * whether to return it to court or let the order continue. The steps are judged from what YOIS holds,
 * so they hold whoever recorded them and however.
 */
export type BreachStage =
  | 'COMPLYING'
  | 'MISSED_APPOINTMENT'
  | 'CONTACT_ATTEMPTED'
  | 'FIRST_WARNING'
  | 'SECOND_WARNING'
  | 'REFERRED_TO_PANEL'
  | 'RETURNED_TO_COURT'
  | 'ORDER_ENDED';

export type BreachStep = 'recordContactAttempt' | 'issueBreachWarning' | 'referBreachToPanel' | 'recordBreachPanelDecision';

export type PanelDecision = 'RETURN_TO_COURT' | 'CONTINUE_ORDER';

export interface BreachStatus {
  stage: BreachStage;
  strikes: number;
  /** Missed appointments since the last warning or panel decision. */
  missedAppointments: number;
  /** Contact attempts recorded since the first of those missed appointments. */
  contactAttempts: number;
  allowedNextSteps: BreachStep[];
  panelDecision: PanelDecision | null;
}

const REFERRAL_NOTE = 'Referred to the in-house breach panel';
const decisionNote = (decision: PanelDecision) => `Breach panel decision: ${decision}`;

function lastPanelDecision(facts: BreachFacts): { decision: PanelDecision; at: string } | null {
  for (const note of [...facts.notes].reverse()) {
    if (note.kind !== 'PANEL') continue;
    if (note.text.startsWith(decisionNote('RETURN_TO_COURT'))) return { decision: 'RETURN_TO_COURT', at: note.recordedAt };
    if (note.text.startsWith(decisionNote('CONTINUE_ORDER'))) return { decision: 'CONTINUE_ORDER', at: note.recordedAt };
    return null;
  }
  return null;
}

/** Where an order stands in the breach process, and which steps the process allows next. */
export function breachStatus(facts: BreachFacts, now: Date): BreachStatus {
  const strikes = Math.min(2, facts.warnings.length);
  const decision = lastPanelDecision(facts);
  const since = [facts.warnings.at(-1)?.issuedAt, decision?.at].filter((at): at is string => Boolean(at)).sort().at(-1) ?? '';
  const missed = facts.appointments.filter((a) => a.attendance === 'FAILED_TO_ATTEND' && a.at > since && a.at <= now.toISOString());
  const firstMissed = missed[0]?.at;
  const attempts = firstMissed ? facts.notes.filter((n) => n.kind === 'CONTACT_ATTEMPT' && n.recordedAt >= firstMissed && n.recordedAt > since).length : 0;
  const base = { strikes, missedAppointments: missed.length, contactAttempts: attempts, panelDecision: decision?.decision ?? null };

  if (decision?.decision === 'RETURN_TO_COURT') return { ...base, stage: 'RETURNED_TO_COURT', allowedNextSteps: [] };
  if (facts.orderStatus === 'BREACHED') return { ...base, stage: 'REFERRED_TO_PANEL', allowedNextSteps: ['recordBreachPanelDecision'] };
  if (facts.orderStatus !== 'ACTIVE') return { ...base, stage: 'ORDER_ENDED', allowedNextSteps: [] };

  const steps: BreachStep[] = [];
  if (missed.length > 0) steps.push('recordContactAttempt');
  const contactExhausted = missed.length > 0 && attempts > 0;
  if (contactExhausted && strikes < 2) steps.push('issueBreachWarning');
  // Two strikes go to the panel; after the panel let the order continue, a further breach goes straight back.
  const secondStrikeUnreferred = strikes >= 2 && (decision === null || decision.at < facts.warnings.at(-1)!.issuedAt);
  if (secondStrikeUnreferred || (strikes >= 2 && contactExhausted)) steps.push('referBreachToPanel');

  let stage: BreachStage;
  if (missed.length > 0) stage = attempts > 0 ? 'CONTACT_ATTEMPTED' : 'MISSED_APPOINTMENT';
  else stage = strikes === 0 ? 'COMPLYING' : strikes === 1 ? 'FIRST_WARNING' : 'SECOND_WARNING';
  return { ...base, stage, allowedNextSteps: steps };
}

/** A step the process does not allow now: its message says why and what is allowed. */
export class BreachStepRefused extends Error {
  constructor(step: BreachStep, status: BreachStatus) {
    const allowed = status.allowedNextSteps.length ? status.allowedNextSteps.join(', ') : 'none';
    super(`${step} is not allowed now: the order is at ${status.stage} (${status.strikes} strike(s), ${status.missedAppointments} missed appointment(s) since the last warning, ${status.contactAttempts} contact attempt(s)). Allowed next steps: ${allowed}`);
    this.name = 'BreachStepRefused';
  }
}

export interface StepInput {
  date: string;
  text: string;
  workerName: string | null;
  decision?: PanelDecision;
  now: Date;
}

/** The YOIS record a step makes, when the facts allow it; BreachStepRefused otherwise. */
export function planBreachStep(step: BreachStep, facts: BreachFacts, input: StepInput): BreachAction {
  const status = breachStatus(facts, input.now);
  if (!status.allowedNextSteps.includes(step)) throw new BreachStepRefused(step, status);
  switch (step) {
    case 'recordContactAttempt':
      return { kind: 'CONTACT_ATTEMPT', date: input.date, text: input.text, workerName: input.workerName };
    case 'issueBreachWarning':
      return { kind: 'WARNING', strike: status.strikes + 1, reason: input.text, issuedAt: input.now.toISOString() };
    case 'referBreachToPanel':
      return { kind: 'PANEL', status: 'BREACHED', date: input.date, text: `${REFERRAL_NOTE}: ${input.text}`, workerName: input.workerName };
    case 'recordBreachPanelDecision':
      return {
        kind: 'PANEL',
        status: input.decision === 'CONTINUE_ORDER' ? 'ACTIVE' : 'BREACHED',
        date: input.date,
        text: `${decisionNote(input.decision ?? 'RETURN_TO_COURT')}: ${input.text}`,
        workerName: input.workerName,
      };
  }
}
