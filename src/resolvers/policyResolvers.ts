import { GraphQLError } from 'graphql';
import { TokenRejected } from '../auth/tokenVerifier';
import type { CompiledPolicy } from '../authz/compilePolicy';
import { effectiveTier } from '../authz/decideField';
import { effectivePermissions, matrixDiff, roleMatrixCsv } from '../authz/permissionMatrix';
import { POLICY_REASON_MAX, PolicyChangeRefused, PolicyInvalid, type PolicyVersionRecord } from '../authz/policyStore';
import { SECURITY_OFFICER_ROLE } from '../authz/roles';
import type { GatewayContext } from '../context/GatewayContext';
import { ErrorCode } from '../errors/ErrorCode';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors/errors';
import type { FieldPermissionResolvers, MutationResolvers, PolicyVersionResolvers, QueryResolvers, ResolversTypes } from '../generated/graphql';

const MIN_REASON = 5;

/** The policy tools are for security officers: granted by policy, and checked here too, so no policy can open them to anyone else. */
function requireOfficer(context: GatewayContext): { sub: string; name: string } {
  if (!context.principal.roles.includes(SECURITY_OFFICER_ROLE)) {
    throw new ForbiddenError('The policy tools are for security officers only', 'SECURITY_OFFICERS_ONLY');
  }
  return { sub: context.principal.sub, name: context.principal.name };
}

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < MIN_REASON) throw new BadUserInputError(`reason must say why, in at least ${MIN_REASON} characters`, 'REASON_REQUIRED');
  // Refused here, by limit, rather than failing in SQL (SQL Server error 2628).
  if (trimmed.length > POLICY_REASON_MAX) throw new BadUserInputError(`reason is longer than ${POLICY_REASON_MAX} characters`, 'TOO_LONG');
  return trimmed;
}

async function policyAt(context: GatewayContext, version: number | null | undefined): Promise<CompiledPolicy> {
  if (version === null || version === undefined) return context.services.policy.current();
  const compiled = await context.services.policy.compiled(version);
  if (!compiled) throw new NotFoundError(`No policy version ${version}`);
  return compiled;
}

function permissionsFor(policy: CompiledPolicy, roles: readonly string[], tier: number): ResolversTypes['EffectivePermissions'] {
  if (!Number.isInteger(tier) || tier < 0 || tier > 3) throw new BadUserInputError('tier must be 0, 1, 2 or 3', 'BAD_TIER');
  const who = { roles, tier };
  const byType = new Map<string, ReturnType<typeof effectivePermissions>>();
  for (const permission of effectivePermissions(policy, who)) {
    byType.set(permission.typeName, [...(byType.get(permission.typeName) ?? []), permission]);
  }
  return {
    roles: [...roles],
    tier,
    effectiveTier: effectiveTier(policy, who),
    policyVersion: policy.version,
    types: [...byType].map(([type, fields]) => ({ type, fields })),
  };
}

/** Runs a policy change, turning refusals into client errors that say what to do. */
async function change(run: () => Promise<PolicyVersionRecord>): Promise<PolicyVersionRecord> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PolicyInvalid) {
      throw new GraphQLError(error.message, { extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'POLICY_INVALID', problems: error.problems } });
    }
    if (error instanceof PolicyChangeRefused) {
      if (error.reason === 'OWN_PROPOSAL') throw new ForbiddenError(error.message, error.reason);
      if (error.reason === 'NO_SUCH_VERSION') throw new NotFoundError(error.message);
      throw new BadUserInputError(error.message, error.reason);
    }
    throw error;
  }
}

export const policyQueryResolvers: Pick<
  QueryResolvers,
  'activePolicy' | 'policyVersions' | 'policyVersion' | 'effectivePermissions' | 'effectivePermissionsForToken' | 'permissionMatrixCsv'
> = {
  activePolicy: async (_parent, _args, context) => {
    requireOfficer(context);
    const { version } = await context.services.policy.current();
    return (await context.services.policy.version(version))!;
  },
  policyVersions: (_parent, { status }, context) => {
    requireOfficer(context);
    return context.services.policy.versions(status);
  },
  policyVersion: (_parent, { version }, context) => {
    requireOfficer(context);
    return context.services.policy.version(version);
  },
  effectivePermissions: async (_parent, { roles, tier, version }, context) => {
    requireOfficer(context);
    return permissionsFor(await policyAt(context, version), roles, tier);
  },
  effectivePermissionsForToken: async (_parent, { token, version }, context) => {
    requireOfficer(context);
    let principal;
    try {
      principal = await context.services.verifyToken(token.trim());
    } catch (error) {
      const why = error instanceof TokenRejected ? error.clientMessage : 'the token carries no usable claims';
      throw new BadUserInputError(`token is not one this gateway accepts: ${why}`, 'BAD_TOKEN');
    }
    return permissionsFor(await policyAt(context, version), principal.roles, principal.tier);
  },
  permissionMatrixCsv: async (_parent, { version }, context) => {
    requireOfficer(context);
    return roleMatrixCsv(await policyAt(context, version));
  },
};

export const policyMutationResolvers: Pick<MutationResolvers, 'proposePolicy' | 'approvePolicy' | 'rejectPolicy'> = {
  proposePolicy: (_parent, { document, reason }, context) => {
    const officer = requireOfficer(context);
    const why = requireReason(reason);
    return change(async () => {
      const proposed = await context.services.policy.propose(document, why, officer);
      context.log.info({ version: proposed.version, by: officer.sub }, 'policy version proposed');
      return proposed;
    });
  },
  approvePolicy: (_parent, { version, reason }, context) => {
    const officer = requireOfficer(context);
    const why = requireReason(reason);
    return change(async () => {
      const approved = await context.services.policy.approve(version, officer, why);
      context.log.warn({ version, by: officer.sub, proposedBy: approved.proposedBy }, 'policy version approved: now in force');
      return approved;
    });
  },
  rejectPolicy: (_parent, { version, reason }, context) => {
    const officer = requireOfficer(context);
    return change(() => context.services.policy.reject(version, officer, requireReason(reason)));
  },
};

export const policyVersionResolvers: PolicyVersionResolvers = {
  changes: async (parent, _args, context) => {
    if (parent.basedOnVersion === null) return [];
    const [before, after] = await Promise.all([
      context.services.policy.compiled(parent.basedOnVersion),
      context.services.policy.compiled(parent.version),
    ]);
    return before && after ? matrixDiff(before, after) : [];
  },
};

export const fieldPermissionResolvers: FieldPermissionResolvers = {
  field: (parent) => parent.fieldName,
};
