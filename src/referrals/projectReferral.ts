import type {
  AgencyShare,
  CaseRecall,
  ChecksReturned,
  PanelBriefing,
  PanelReview,
  ReferralDecision,
  ReferralHandOff,
  ReferralStatus,
  ReferralStepRecord,
  ReferralStepView,
  ReferralView,
} from './Referral';
import { allowedNextSteps } from './referralWorkflow';

/**
 * A referral as the API shows it, from its recorded steps (oldest first): the steps are the record,
 * everything else (latest checks, decision, hand-off, panel reviews) is read from them.
 */
export function projectReferral(
  { referralId, referralNo, status, panelDate }: { referralId: string; referralNo: number; status: ReferralStatus; panelDate: string | null },
  steps: readonly ReferralStepRecord[],
): ReferralView {
  const first = steps[0];
  if (!first || first.detail.kind !== 'RECEIVED') throw new Error(`referral ${referralId} has no RECEIVED step`);
  const received = first.detail;
  const kind = received.requestKind ?? 'REFERRAL';
  const view: ReferralView = {
    id: referralId,
    referralNo,
    kind,
    requestedBy: received.requestedBy ?? null,
    neededBy: received.neededBy ?? null,
    source: received.source,
    receivedAt: first.at,
    receivedBy: first.actor,
    information: received.information,
    subject: received.subject,
    familyMembers: received.familyMembers,
    familyConsented: received.familyConsented,
    status,
    allowedNextSteps: allowedNextSteps({ status, kind, source: received.source, familyConsented: received.familyConsented }),
    checks: null,
    agencyShares: [],
    decision: null,
    handOff: null,
    panelDate,
    leadAgency: null,
    leadProfessional: null,
    panelReviews: [],
    panelBriefings: [],
    recalls: [],
    checksReturned: null,
    trail: [],
  };
  for (const step of steps) {
    const shown: ReferralStepView = {
      seq: step.seq,
      kind: step.detail.kind,
      at: step.at,
      recordedAt: step.recordedAt,
      actor: step.actor,
      actorName: step.actorName,
      statusAfter: step.statusAfter,
      information: null,
      checks: null,
      share: null,
      decision: null,
      handOff: null,
      panelDate: null,
      panelReview: null,
      briefing: null,
      recall: null,
      checksReturned: null,
    };
    const detail = step.detail;
    switch (detail.kind) {
      case 'RECEIVED':
        shown.information = detail.information;
        break;
      case 'CHECKS_RUN':
        shown.checks = detail.checks;
        view.checks = detail.checks;
        break;
      case 'AGENCY_SHARED': {
        const share: AgencyShare = { agency: detail.agency, information: detail.information, sharedAt: step.at, recordedBy: step.actor };
        shown.share = share;
        view.agencyShares.push(share);
        break;
      }
      case 'DECIDED': {
        const decision: ReferralDecision = { decision: detail.decision, reason: detail.reason, decidedBy: step.actor, decidedAt: step.at };
        shown.decision = decision;
        view.decision = decision;
        break;
      }
      case 'HANDED_OFF': {
        const handOff: ReferralHandOff = {
          // Hand-offs recorded before kinds were: a social-care decision's went to social care.
          kind: detail.handOffKind ?? (view.decision?.decision === 'REFER_TO_SOCIAL_CARE' ? 'SOCIAL_CARE' : 'CORE_UNIT'),
          toUnit: detail.toUnit,
          toPerson: detail.toPerson,
          handedOffAt: step.at,
          handedOffBy: step.actor,
          acknowledgedAt: null,
          acknowledgedBy: null,
        };
        shown.handOff = handOff;
        view.handOff = handOff;
        break;
      }
      case 'ACKNOWLEDGED':
        if (view.handOff) {
          view.handOff = { ...view.handOff, acknowledgedAt: step.at, acknowledgedBy: step.actor };
          shown.handOff = view.handOff;
        }
        break;
      case 'LISTED_FOR_PANEL':
        shown.panelDate = detail.panelDate;
        break;
      case 'PANEL_REVIEWED': {
        const review: PanelReview = {
          panelDate: detail.panelDate,
          leadAgency: detail.leadAgency,
          leadProfessional: detail.leadProfessional,
          decision: detail.decision,
          nextReviewDate: detail.nextReviewDate,
          notes: detail.notes,
          recordedBy: step.actor,
          referringAgencyAttended: detail.referringAgencyAttended ?? null,
          allocatedTo: detail.allocatedTo ?? [],
        };
        shown.panelReview = review;
        shown.panelDate = detail.panelDate;
        view.panelReviews.push(review);
        view.leadAgency = review.leadAgency;
        view.leadProfessional = review.leadProfessional;
        break;
      }
      case 'PANEL_BRIEFED': {
        const briefing: PanelBriefing = { panelDate: detail.panelDate, notes: detail.notes, briefedAt: step.at, briefedBy: step.actor };
        shown.briefing = briefing;
        shown.panelDate = detail.panelDate;
        view.panelBriefings.push(briefing);
        break;
      }
      case 'RECALLED': {
        const recall: CaseRecall = { reason: detail.reason, panelDate: detail.panelDate, recalledAt: step.at, recalledBy: step.actor };
        shown.recall = recall;
        shown.panelDate = detail.panelDate;
        view.recalls.push(recall);
        break;
      }
      case 'CHECKS_RETURNED': {
        const returned: ChecksReturned = { returnedTo: detail.returnedTo, notes: detail.notes, returnedAt: step.at, returnedBy: step.actor };
        shown.checksReturned = returned;
        view.checksReturned = returned;
        break;
      }
    }
    view.trail.push(shown);
  }
  return view;
}
