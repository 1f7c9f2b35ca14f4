/** Break-glass: time-limited access to one young person outside the caller's Core Units, with a stated reason. */
export interface BreakGlassGrants {
  /** The caller's grants in force at `now`: person ID -> grant ID. */
  activeFor(sub: string, now: Date): Promise<ReadonlyMap<string, string>>;
}
