import type { FindPersonQuery, PersonSummaryQueryVariables } from '../generated/graphql';

// Compiled by test/client/clientWorkflow.test.ts: the generated types say what the gateway sends.
type Person = NonNullable<FindPersonQuery['searchYoungPeople']>['edges'][number]['node'];
export const dateOfBirth = (person: Person): string | null => person.dateOfBirth;
// @ts-expect-error Date is an ISO string, not a JavaScript Date
export const notADate = (person: Person): Date | null => person.dateOfBirth;
// @ts-expect-error $id is required
export const missingId: PersonSummaryQueryVariables = {};
