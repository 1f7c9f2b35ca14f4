import type {
  AppointmentResolvers,
  AssessmentResolvers,
  BreachWarningResolvers,
  OffenceResolvers,
  OrderResolvers,
  OutcomeResolvers,
  PlanResolvers,
  YoungPersonResolvers,
} from '../generated/graphql';
import { visibleLinks } from './personRecords';
import { fromSource } from './sourceErrors';
import { listAcross } from './youngPersonResolvers';

const newestFirst = <T>(key: (item: T) => string) => (a: T, b: T) => key(b).localeCompare(key(a));

/** UMIS (tier 2) and YOIS (tier 3) fields of a person. Authorization decides who reaches them; these only fetch. */
export const youngPersonCaseResolvers: Pick<
  YoungPersonResolvers,
  'umisRecords' | 'assessments' | 'plans' | 'allocations' | 'yoisRecords' | 'offences' | 'orders'
> = {
  umisRecords: (parent, _args, context) =>
    Promise.all(
      visibleLinks(parent, context, 'UMIS').map(async (link) => ({
        ...(await fromSource(context.loaders.umisPerson.load(link.sourceId))),
        linkMethod: link.method,
      })),
    ),
  assessments: async (parent, _args, context) =>
    (await listAcross(parent, context, 'UMIS', (link) => context.loaders.umisAssessments.load(link.sourceId))).sort(
      newestFirst((a) => a.startedOn),
    ),
  plans: async (parent, _args, context) =>
    (await listAcross(parent, context, 'UMIS', (link) => context.loaders.umisPlans.load(link.sourceId))).sort(
      newestFirst((p) => p.startDate),
    ),
  allocations: async (parent, _args, context) => {
    const [umis, yois] = await Promise.all([
      listAcross(parent, context, 'UMIS', (link) => context.loaders.umisAllocations.load(link.sourceId)),
      listAcross(parent, context, 'YOIS', (link) => context.loaders.yoisAllocations.load(link.sourceId)),
    ]);
    return [...umis, ...yois].sort(newestFirst((a) => a.startDate)).map((a) => ({ ...a, system: a.source }));
  },
  yoisRecords: (parent, _args, context) =>
    Promise.all(
      visibleLinks(parent, context, 'YOIS').map(async (link) => ({
        ...(await fromSource(context.loaders.yoisPerson.load(link.sourceId))),
        linkMethod: link.method,
      })),
    ),
  offences: async (parent, _args, context) =>
    (await listAcross(parent, context, 'YOIS', (link) => context.loaders.yoisOffences.load(link.sourceId))).sort(
      newestFirst((o) => o.offenceDate),
    ),
  orders: async (parent, _args, context) =>
    (await listAcross(parent, context, 'YOIS', (link) => context.loaders.yoisOrders.load(link.sourceId))).sort(
      newestFirst((o) => o.startDate),
    ),
};

export const assessmentResolvers: AssessmentResolvers = { id: (parent) => parent.assessmentId };
export const planResolvers: PlanResolvers = { id: (parent) => parent.planId };
export const offenceResolvers: OffenceResolvers = { id: (parent) => parent.offenceId };
export const orderResolvers: OrderResolvers = { id: (parent) => parent.orderId };
export const outcomeResolvers: OutcomeResolvers = { id: (parent) => parent.outcomeId };
export const appointmentResolvers: AppointmentResolvers = { id: (parent) => parent.appointmentId };
export const breachWarningResolvers: BreachWarningResolvers = { id: (parent) => parent.warningId };
