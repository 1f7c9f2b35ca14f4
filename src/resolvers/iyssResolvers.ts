import type { ContactResolvers } from '../generated/graphql';

export const contactResolvers: ContactResolvers = {
  id: (parent) => parent.contactId,
};
