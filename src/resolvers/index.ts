import type { Resolvers } from '../generated/graphql';
import { auditQueryResolvers } from './auditResolvers';
import { breakGlassGrantResolvers, breakGlassMutationResolvers, breakGlassQueryResolvers } from './breakGlassResolvers';
import { documentResolvers, youngPersonDocumentResolvers } from './dmsResolvers';
import { identityMutationResolvers, identityQueryResolvers } from './identityResolvers';
import { identityReviewMutationResolvers, identityReviewQueryResolvers } from './identityReviewResolvers';
import { contactResolvers, youngPersonIyssResolvers } from './iyssResolvers';
import { fieldPermissionResolvers, policyMutationResolvers, policyQueryResolvers, policyVersionResolvers } from './policyResolvers';
import { queryResolvers } from './queryResolvers';
import {
  panelReviewResolvers,
  referralMutationResolvers,
  referralQueryResolvers,
  referralResolvers,
  youngPersonReferralResolvers,
} from './referralResolvers';
import { reportQueryResolvers } from './reportResolvers';
import { gapQueryResolvers } from './gapResolvers';
import { DateScalar, DateTimeScalar } from './scalars';
import { breachMutationResolvers, orderBreachResolvers } from './breachResolvers';
import { changeDeliveryResolvers, writeMutationResolvers, youngPersonChangeResolvers } from './writeResolvers';
import {
  appointmentResolvers,
  assessmentResolvers,
  breachWarningResolvers,
  offenceResolvers,
  orderResolvers,
  outcomeResolvers,
  planResolvers,
  youngPersonCaseResolvers,
} from './umisYoisResolvers';
import { workerAllocationMutationResolvers, workerAllocationResolvers, youngPersonWorkerAllocationResolvers } from './workerAllocationResolvers';
import { sourceCheckResolvers, youngPersonConnectionResolvers, youngPersonEdgeResolvers, youngPersonResolvers } from './youngPersonResolvers';

/** Every resolver of the schema. Thin by design: they ask loaders and shape results. */
export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: { ...queryResolvers, ...identityQueryResolvers, ...identityReviewQueryResolvers, ...auditQueryResolvers, ...referralQueryResolvers, ...breakGlassQueryResolvers, ...policyQueryResolvers, ...reportQueryResolvers, ...gapQueryResolvers },
  Mutation: { ...identityMutationResolvers, ...identityReviewMutationResolvers, ...referralMutationResolvers, ...breakGlassMutationResolvers, ...policyMutationResolvers, ...writeMutationResolvers, ...breachMutationResolvers, ...workerAllocationMutationResolvers },
  YoungPerson: { ...youngPersonResolvers, ...youngPersonIyssResolvers, ...youngPersonCaseResolvers, ...youngPersonDocumentResolvers, ...youngPersonChangeResolvers, ...youngPersonReferralResolvers, ...youngPersonWorkerAllocationResolvers },
  Referral: referralResolvers,
  PanelReview: panelReviewResolvers,
  ChangeDelivery: changeDeliveryResolvers,
  YoungPersonEdge: youngPersonEdgeResolvers,
  YoungPersonConnection: youngPersonConnectionResolvers,
  SourceCheck: sourceCheckResolvers,
  Contact: contactResolvers,
  Assessment: assessmentResolvers,
  Plan: planResolvers,
  Offence: offenceResolvers,
  Outcome: outcomeResolvers,
  Order: { ...orderResolvers, ...orderBreachResolvers },
  Appointment: appointmentResolvers,
  BreachWarning: breachWarningResolvers,
  Document: documentResolvers,
  BreakGlassGrant: breakGlassGrantResolvers,
  WorkerAllocation: workerAllocationResolvers,
  PolicyVersion: policyVersionResolvers,
  FieldPermission: fieldPermissionResolvers,
};
