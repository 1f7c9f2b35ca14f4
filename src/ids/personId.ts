import type { SourceSystem } from '../../adapters/types';

/**
 * Gateway IDs for young people: `yp:<SYSTEM>:<source id>`. Clients treat them as opaque; the form
 * is kept readable so staff can see in logs which system a record came from.
 */
const PATTERN = /^yp:(IYSS|UMIS|YOIS|DMS):([A-Za-z0-9-]{1,64})$/;

export interface PersonKey {
  source: SourceSystem;
  sourceId: string;
}

export function encodePersonId(key: PersonKey): string {
  return `yp:${key.source}:${key.sourceId}`;
}

/** Undefined when the text is not a gateway person ID. */
export function decodePersonId(id: string): PersonKey | undefined {
  const match = PATTERN.exec(id);
  return match ? { source: match[1] as SourceSystem, sourceId: match[2]! } : undefined;
}
