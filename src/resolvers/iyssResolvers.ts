import type { ContactResolvers, YoungPersonResolvers } from '../generated/graphql';
import { listAcross } from './youngPersonResolvers';
import { visibleLinks } from './personRecords';
import { fromSource } from './sourceErrors';

export const contactResolvers: ContactResolvers = {
  id: (parent) => parent.contactId,
};

/** IYSS-backed fields of a person: concatenated over the person's IYSS records (IYSS holds some duplicates). */
export const youngPersonIyssResolvers: Pick<
  YoungPersonResolvers,
  'iyssRecords' | 'groupWork' | 'contacts' | 'educationHistory' | 'educationStatus'
> = {
  iyssRecords: (parent, _args, context) =>
    Promise.all(
      visibleLinks(parent, context, 'IYSS').map(async (link) => ({
        ...(await fromSource(context.loaders.iyssPerson.load(link.sourceId))),
        linkMethod: link.method,
      })),
    ),
  groupWork: async (parent, _args, context) =>
    (await listAcross(parent, context, 'IYSS', (link) => context.loaders.iyssAttendance.load(link.sourceId))).sort((a, b) =>
      b.sessionDate.localeCompare(a.sessionDate),
    ),
  contacts: async (parent, _args, context) =>
    (await listAcross(parent, context, 'IYSS', (link) => context.loaders.iyssContacts.load(link.sourceId))).sort((a, b) =>
      b.contactDate.localeCompare(a.contactDate),
    ),
  educationHistory: async (parent, _args, context) =>
    (await listAcross(parent, context, 'IYSS', (link) => context.loaders.iyssEducation.load(link.sourceId))).sort((a, b) =>
      b.effectiveDate.localeCompare(a.effectiveDate),
    ),
  educationStatus: async (parent, _args, context) => {
    const history = await listAcross(parent, context, 'IYSS', (link) => context.loaders.iyssEducation.load(link.sourceId));
    return history.sort((a, b) => b.effectiveDate.localeCompare(a.effectiveDate))[0] ?? null;
  },
};
