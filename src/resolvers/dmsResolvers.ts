import type { DocumentRecord } from '../../adapters/types';
import type { DocumentResolvers, YoungPersonResolvers } from '../generated/graphql';
import { visibleLinks } from './personRecords';
import { fromSource } from './sourceErrors';

export const youngPersonDocumentResolvers: Pick<YoungPersonResolvers, 'documents'> = {
  /**
   * Documents about any of the person's visible records. Those classified above the tier the caller
   * reaches are left out (their existence would say which agencies know the child); each remaining
   * one carries the person's ID so authorization can judge need to know per document.
   */
  documents: async (parent, _args, context) => {
    const subjects = visibleLinks(parent, context).map((link) => `${link.system}:${link.sourceId}`);
    const lists = await Promise.all(subjects.map((subject) => fromSource(context.loaders.dmsDocumentsBySubject.load(subject))));
    const seen = new Set<string>();
    return lists
      .flat()
      .filter((document: DocumentRecord) => !seen.has(document.documentId) && seen.add(document.documentId))
      .filter((document) => document.classificationTier <= context.authz.tier)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((document) => ({ ...document, personId: parent.personId }));
  },
};

export const documentResolvers: DocumentResolvers = {
  id: (parent) => parent.documentId,
  downloadUrl: (parent, _args, { services, principal }) => services.documentLinks.sign(parent.documentId, principal.sub, services.clock.now()),
};
