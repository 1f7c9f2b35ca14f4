import type { GatewayContext } from '../context/GatewayContext';
import type { GapKind, QueryResolvers } from '../generated/graphql';
import { runGapReport } from '../gaps/runGapReport';

export const gapQueryResolvers: Pick<QueryResolvers<GatewayContext>, 'gapReport'> = {
  async gapReport(_parent, args, context) {
    const report = await runGapReport(context, { from: args.from, to: args.to, kinds: args.kinds });
    return {
      ...report,
      findings: report.findings.map((finding) => ({ ...finding, kind: finding.kind as GapKind })),
      counts: report.counts.map((count) => ({ ...count, kind: count.kind as GapKind })),
    };
  },
};
