import { SourceFailure } from '../../adapters/types';
import { mayKnowInvolvement, PERSON_SYSTEMS, type PersonSystem } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import type { PersonView } from './PersonDirectory';

export type InvolvementStatus = 'KNOWN' | 'NOT_KNOWN' | 'NOT_CHECKED' | 'WITHHELD';

export interface Involvement {
  system: PersonSystem;
  status: InvolvementStatus;
  reason: string | null;
}

export const WITHHELD_REASON = 'Your role and clearance do not allow you to know this';

/** The request's loader for one system's person records. */
export function personLoader(context: GatewayContext, system: PersonSystem) {
  return system === 'IYSS' ? context.loaders.iyssPerson : system === 'UMIS' ? context.loaders.umisPerson : context.loaders.yoisPerson;
}

/**
 * Each agency system's answer about one gateway person, for this caller: WITHHELD when the caller may
 * not know, KNOWN when a linked record reads, NOT_CHECKED when the system could not answer, and
 * NOT_KNOWN only from a system that was reached (in safeguarding, not checked never reads as not known).
 */
export function involvementOf(context: GatewayContext, person: PersonView): Promise<Involvement[]> {
  return Promise.all(
    PERSON_SYSTEMS.map(async (system): Promise<Involvement> => {
      if (!mayKnowInvolvement(context.authz, system)) return { system, status: 'WITHHELD', reason: WITHHELD_REASON };
      const links = person.records.filter((record) => record.system === system);
      if (links.length === 0) {
        const check = await context.loaders.reachability.load(system);
        return check.reachable ? { system, status: 'NOT_KNOWN', reason: null } : { system, status: 'NOT_CHECKED', reason: check.reason };
      }
      const loader = personLoader(context, system);
      const results = await Promise.all(links.map((link) => loader.load(link.sourceId).catch((error: unknown) => error as Error)));
      if (results.some((result) => !(result instanceof Error))) return { system, status: 'KNOWN', reason: null };
      const failure = results.find((result): result is SourceFailure => result instanceof SourceFailure);
      return failure ? { system, status: 'NOT_CHECKED', reason: failure.reason } : { system, status: 'NOT_KNOWN', reason: null };
    }),
  );
}
