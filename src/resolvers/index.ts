import type { Resolvers } from '../generated/graphql';
import { auditQueryResolvers } from './auditResolvers';
import { breakGlassGrantResolvers, breakGlassMutationResolvers, breakGlassQueryResolvers } from './breakGlassResolvers';
import { documentResolvers, youngPersonDocumentResolvers } from './dmsResolvers';
import { identityMutationResolvers, identityQueryResolvers } from './identityResolvers';
import { contactResolvers, youngPersonIyssResolvers } from './iyssResolvers';
import { fieldPermissionResolvers, policyMutationResolvers, policyQueryResolvers, policyVersionResolvers } from './policyResolvers';
import { queryResolvers } from './queryResolvers';
import { referralMutationResolvers, referralQueryResolvers } from './referralResolvers';
import { reportQueryResolvers } from './reportResolvers';
import { DateScalar, DateTimeScalar } from './scalars';
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
import { sourceCheckResolvers, youngPersonConnectionResolvers, youngPersonEdgeResolvers, youngPersonResolvers } from './youngPersonResolvers';

/** Every resolver of the schema. Thin by design: they ask loaders and shape results. */
export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: { ...queryResolvers, ...identityQueryResolvers, ...auditQueryResolvers, ...referralQueryResolvers, ...breakGlassQueryResolvers, ...policyQueryResolvers, ...reportQueryResolvers },
  Mutation: { ...identityMutationResolvers, ...referralMutationResolvers, ...breakGlassMutationResolvers, ...policyMutationResolvers },
  YoungPerson: { ...youngPersonResolvers, ...youngPersonIyssResolvers, ...youngPersonCaseResolvers, ...youngPersonDocumentResolvers },
  YoungPersonEdge: youngPersonEdgeResolvers,
  YoungPersonConnection: youngPersonConnectionResolvers,
  SourceCheck: sourceCheckResolvers,
  Contact: contactResolvers,
  Assessment: assessmentResolvers,
  Plan: planResolvers,
  Offence: offenceResolvers,
  Outcome: outcomeResolvers,
  Order: orderResolvers,
  Appointment: appointmentResolvers,
  BreachWarning: breachWarningResolvers,
  Document: documentResolvers,
  BreakGlassGrant: breakGlassGrantResolvers,
  PolicyVersion: policyVersionResolvers,
  FieldPermission: fieldPermissionResolvers,
};
