/**
 * The referral workflow as a pure state machine: which step may follow which status, and the status
 * each step leads to. No I/O, so every transition can be tested exhaustively; the store runs the same
 * checks inside the transaction that records a step, so a refused step writes nothing.
 *
 *   RECEIVED ─runReferralChecks─▶ CHECKED ─decideReferral─┬─▶ NO_FURTHER_ACTION
 *                                   │  ▲ (re-run checks,   ├─▶ AWAITING_HAND_OFF ─handOffReferral─▶ HANDED_OFF ─acknowledgeHandOff─▶ ACKNOWLEDGED
 *                                   └──┘  agency shares)   └─▶ AWAITING_PANEL ─listForPanel─▶ LISTED_FOR_PANEL ─recordPanelReview(CLOSE)─▶ CLOSED
 *                                                                                                 ▲        │
 *                                                                                                 └────────┘ recordPanelReview(CONTINUE): listed for its next review
 *
 * A non-police referral whose family did not consent cannot be checked against partner systems; its
 * only next step is a decision on what was received.
 */
import type { PanelDecision, ReferralDecisionKind, ReferralSource, ReferralStatus } from './Referral';

/** The mutations that move a referral on. */
export type WorkflowStep =
  | 'runReferralChecks'
  | 'recordAgencyShare'
  | 'decideReferral'
  | 'handOffReferral'
  | 'acknowledgeHandOff'
  | 'listForPanel'
  | 'recordPanelReview';

export interface WorkflowState {
  referralId: string;
  status: ReferralStatus;
  source: ReferralSource;
  familyConsented: boolean | null;
  /** The panel date a listed case waits for. */
  panelDate: string | null;
}

/** What a step says that decides where it leads. */
export interface StepInput {
  decision?: ReferralDecisionKind;
  panelDecision?: PanelDecision;
  panelDate?: string | null;
}

/** A step that may not be taken now. `reason` is machine-readable; the message names the allowed next steps. */
export class ReferralTransitionRefused extends Error {
  constructor(
    message: string,
    readonly reason: string,
    readonly allowed: readonly WorkflowStep[],
  ) {
    super(message);
    this.name = 'ReferralTransitionRefused';
  }
}

const consentWithheld = (state: Pick<WorkflowState, 'source' | 'familyConsented'>): boolean =>
  state.source !== 'POLICE_NOTIFICATION' && state.familyConsented !== true;

/** The steps that may come next, in the order a triage officer would usually take them. */
export function allowedNextSteps(state: Pick<WorkflowState, 'status' | 'source' | 'familyConsented'>): WorkflowStep[] {
  switch (state.status) {
    case 'RECEIVED':
      return consentWithheld(state) ? ['decideReferral'] : ['runReferralChecks'];
    case 'CHECKED':
      return ['runReferralChecks', 'recordAgencyShare', 'decideReferral'];
    case 'AWAITING_HAND_OFF':
      return ['recordAgencyShare', 'handOffReferral'];
    case 'HANDED_OFF':
      return ['acknowledgeHandOff'];
    case 'AWAITING_PANEL':
      return ['recordAgencyShare', 'listForPanel'];
    case 'LISTED_FOR_PANEL':
      return ['recordAgencyShare', 'listForPanel', 'recordPanelReview'];
    case 'NO_FURTHER_ACTION':
    case 'ACKNOWLEDGED':
    case 'CLOSED':
      return [];
  }
}

const VERB: Record<WorkflowStep, string> = {
  runReferralChecks: 'run checks for',
  recordAgencyShare: 'record an agency share on',
  decideReferral: 'decide',
  handOffReferral: 'hand off',
  acknowledgeHandOff: 'acknowledge the hand-off of',
  listForPanel: 'list for panel',
  recordPanelReview: 'record a panel review of',
};

function why(state: WorkflowState): string {
  switch (state.status) {
    case 'RECEIVED':
      return 'its agency checks have not been run yet';
    case 'CHECKED':
      return 'it has no decision yet';
    case 'NO_FURTHER_ACTION':
      return 'it was decided: no further action';
    case 'AWAITING_HAND_OFF':
      return 'it has a decision and is waiting to be handed off';
    case 'HANDED_OFF':
      return 'it was handed off and is waiting for the hand-off to be acknowledged';
    case 'ACKNOWLEDGED':
      return "its hand-off was acknowledged, so triage's work on it is complete";
    case 'AWAITING_PANEL':
      return 'it was referred to the panel and is waiting to be listed';
    case 'LISTED_FOR_PANEL':
      return `it is listed for the panel of ${state.panelDate ?? 'a date to be set'}`;
    case 'CLOSED':
      return 'it was closed by a panel decision';
  }
}

function refuse(state: WorkflowState, step: WorkflowStep, because: string, reason: string): never {
  const allowed = allowedNextSteps(state);
  throw new ReferralTransitionRefused(
    `Cannot ${VERB[step]} referral ${state.referralId}: ${because}. Allowed next steps: ${allowed.length ? allowed.join(', ') : 'none'}`,
    reason,
    allowed,
  );
}

/** The status `step` leads to from `state`, or ReferralTransitionRefused. */
export function nextStatus(state: WorkflowState, step: WorkflowStep, input: StepInput = {}): ReferralStatus {
  if (!allowedNextSteps(state).includes(step)) {
    if (step === 'runReferralChecks' && state.status === 'RECEIVED' && consentWithheld(state)) {
      refuse(state, step, 'the family did not consent to agency checks', 'NO_CONSENT');
    }
    refuse(state, step, why(state), 'INVALID_TRANSITION');
  }
  switch (step) {
    case 'runReferralChecks':
      return 'CHECKED';
    case 'recordAgencyShare':
      return state.status;
    case 'listForPanel':
      return 'LISTED_FOR_PANEL';
    case 'decideReferral':
      switch (input.decision) {
        case 'NO_FURTHER_ACTION':
          return 'NO_FURTHER_ACTION';
        case 'HAND_OFF_TO_CORE_UNIT':
        case 'REFER_TO_SOCIAL_CARE':
          return 'AWAITING_HAND_OFF';
        case 'REFER_TO_PANEL':
          return 'AWAITING_PANEL';
        default:
          throw new Error('decideReferral needs a decision');
      }
    case 'handOffReferral':
      return 'HANDED_OFF';
    case 'acknowledgeHandOff':
      return 'ACKNOWLEDGED';
    case 'recordPanelReview':
      // The only way a panel case closes.
      return input.panelDecision === 'CLOSE' ? 'CLOSED' : 'LISTED_FOR_PANEL';
  }
}
