/**
 * A named worker allocated to one young person across services ("one worker across services"): while
 * the allocation is in force the worker has need to know for that young person wherever their case
 * is held (whichever Core Unit, in whichever system), within what the worker's own roles, clearance and
 * purpose reach. It is recorded in the gateway store with its start, end and reason, and who made it.
 */

/** The early end of an allocation: appended, never an update of the allocation. */
export interface WorkerAllocationEndRecord {
  endedBy: string;
  enderName: string;
  /** When it was ended (ISO instant); from then on it is not in force. */
  endedAt: string;
  reason: string;
}

export interface WorkerAllocationRecord {
  allocationId: string;
  /** The gateway person ID of the young person. */
  personId: string;
  /** The worker (token `sub`) who stays with the young person. */
  worker: string;
  workerName: string;
  /** First day in force (YYYY-MM-DD, gateway clock, UTC). */
  startsOn: string;
  /** Last day in force (YYYY-MM-DD), inclusive, as unit allocations' end dates are. */
  endsOn: string;
  reason: string;
  allocatedBy: string;
  allocatorName: string;
  allocatedAt: string;
  /** Set once the allocation was ended before its end date; it is then never in force again. */
  ended: WorkerAllocationEndRecord | null;
}

export interface NewWorkerAllocation {
  personId: string;
  worker: string;
  workerName: string;
  startsOn: string;
  endsOn: string;
  reason: string;
  allocatedBy: string;
  allocatorName: string;
}

export interface WorkerAllocations {
  /** The worker's allocations in force at `now`: person ID -> allocation ID (one statement). */
  inForceFor(worker: string, now: Date): Promise<ReadonlyMap<string, string>>;
  allocate(allocation: NewWorkerAllocation): Promise<WorkerAllocationRecord>;
  get(allocationId: string): Promise<WorkerAllocationRecord | null>;
  /** For each person ID, their allocations, newest first, in key order. */
  byPersonIds(personIds: readonly string[]): Promise<WorkerAllocationRecord[][]>;
  /** Ends an allocation now; false when it had already been ended. */
  end(allocationId: string, end: Omit<WorkerAllocationEndRecord, 'endedAt'>): Promise<boolean>;
}

/** The calendar day (UTC) of an instant, as allocations' start and end dates are written. */
export const dayOf = (now: Date): string => now.toISOString().slice(0, 10);

/** Whether an allocation is in force at `now`: started, not past its end date, not ended. */
export const isInForce = (allocation: WorkerAllocationRecord, now: Date): boolean => {
  const today = dayOf(now);
  return allocation.ended === null && allocation.startsOn <= today && today <= allocation.endsOn;
};
