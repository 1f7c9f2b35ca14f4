import type { SourceAggregate } from '../../adapters/aggregates';
import type { SourceBreakers } from '../sources/sourceBreakers';
import type { ReportSources } from './measures';

const guarded = (aggregate: SourceAggregate, breaker: SourceBreakers[keyof SourceBreakers]): SourceAggregate => ({
  dimensions: aggregate.dimensions,
  count: (query) => breaker.run(() => aggregate.count(query)),
});

/**
 * The report aggregates behind each source's circuit breaker, the one every other read of that source
 * uses: a report against a source that is down fails fast as SOURCE_UNAVAILABLE, and report queries
 * that fail count towards opening it.
 */
export function guardedReportSources(sources: ReportSources, breakers: SourceBreakers): ReportSources {
  return {
    yois: {
      firstTimeEntrants: guarded(sources.yois.firstTimeEntrants, breakers.YOIS),
      reoffendingCohort: guarded(sources.yois.reoffendingCohort, breakers.YOIS),
      reoffenders: guarded(sources.yois.reoffenders, breakers.YOIS),
      reoffences: guarded(sources.yois.reoffences, breakers.YOIS),
      breachWarnings: guarded(sources.yois.breachWarnings, breakers.YOIS),
      ordersWarned: guarded(sources.yois.ordersWarned, breakers.YOIS),
      ordersAtSecondStrike: guarded(sources.yois.ordersAtSecondStrike, breakers.YOIS),
    },
    // Each of its reads goes through the breaker of the source it reads (see createCoreUnitResolver).
    linked: sources.linked,
    // The gateway store is not behind a source breaker: without it the gateway serves nothing.
    store: sources.store,
    iyss: {
      positiveActivityParticipation: guarded(sources.iyss.positiveActivityParticipation, breakers.IYSS),
      neet16To18: guarded(sources.iyss.neet16To18, breakers.IYSS),
      neet16To18ByGivenDateOfBirth: guarded(sources.iyss.neet16To18ByGivenDateOfBirth, breakers.IYSS),
    },
  };
}
