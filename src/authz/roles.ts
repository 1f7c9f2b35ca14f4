/**
 * The roles the gateway knows. A policy may only name these (an unknown role is a validation error
 * naming its line); a token may carry others, which are granted nothing.
 */
export const ROLES = {
  youth_worker: 'Youth worker: group work, positive activities, IYSS casework.',
  practitioner: 'Practitioner in a Core Unit: casework across the systems for allocated young people.',
  support_officer: 'Support officer: administrative support to a Core Unit.',
  core_unit_leader: 'Leads a Core Unit; sees who accessed their young people and break-glass use on them.',
  clinician: 'Clinician (e.g. CAMHS) working with allocated young people.',
  triage_officer: 'Partnership Triage: checks which agencies know a young person, without detail.',
  triage_manager: 'Partnership Triage manager: decides referrals, and corrects identity links found wrong in triage.',
  data_steward: 'Data quality: confirms, rejects, splits and undoes identity links between system records, within their clearance and need to know.',
  panel_chair: 'Chairs the weekly multi-agency panel; recalls closed cases and keeps the list of agencies the panel allocates to.',
  social_care_liaison: "Children's social care liaison: acknowledges referrals Partnership Triage hands off to children's social care.",
  report_writer: 'Writes reports and statutory returns: aggregates only, never identifying fields.',
  security_officer: 'Configures access policy and reviews break-glass; reaches no case data.',
  auditor: 'Reads the access audit trail.',
} as const;

export type RoleName = keyof typeof ROLES;

export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

export const isRoleName = (name: string): name is RoleName => Object.prototype.hasOwnProperty.call(ROLES, name);

/** Report writers see aggregates only: no identifying field resolves for this role, whatever the policy says. */
export const AGGREGATES_ONLY_ROLE: RoleName = 'report_writer';

/** The only role that reaches the policy tools (in code as well as in policy, so no policy can lock officers out or let others in). */
export const SECURITY_OFFICER_ROLE: RoleName = 'security_officer';
