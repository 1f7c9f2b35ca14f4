/**
 * What resolving a field costs beyond its own resolution, by schema coordinate. Kept beside the cost
 * model rather than in the SDL so the schema stays the clients' documentation; a field not named
 * here costs only its resolution (1 per item), except root fields, which each make at least one
 * call to a source or the gateway store.
 *
 * - `search`: ranks or walks a whole collection (every visible source's candidates, the whole audit
 *   chain, the whole role x field matrix). Not batched: each occurrence runs on its own.
 * - `source`: one call to a source or the store, batched by a per-request DataLoader across every
 *   parent item, so it costs once per place it appears in the operation, whatever the list size.
 *   Fields that share one loader share a `batch` (the golden view's fields are one call together).
 */
export type FieldWork = { kind: 'search' } | { kind: 'source'; batch: string } | { kind: 'none' };

const SEARCHES = new Set([
  'Query.searchYoungPeople',
  'Query.triageSearch',
  'Mutation.runReferralChecks',
  'Query.auditChainStatus',
  'Query.permissionMatrixCsv',
  'Query.effectivePermissions',
  'Query.effectivePermissionsForToken',
  'PolicyVersion.changes',
]);

/** Fields below the root that call a source through a loader, with the loader they share. */
const SOURCE_BATCHES: Record<string, string> = {
  ...Object.fromEntries(
    ['forename', 'surname', 'knownAs', 'dateOfBirth', 'age', 'gender', 'ethnicity', 'address', 'upn', 'aliases', 'addresses'].map((field) => [
      `YoungPerson.${field}`,
      'golden',
    ]),
  ),
  'YoungPerson.involvement': 'involvement',
  'YoungPerson.iyssRecords': 'links',
  'YoungPerson.umisRecords': 'links',
  'YoungPerson.yoisRecords': 'links',
  'YoungPerson.groupWork': 'iyss.groupWork',
  'YoungPerson.contacts': 'iyss.contacts',
  'YoungPerson.educationHistory': 'iyss.education',
  'YoungPerson.educationStatus': 'iyss.education',
  'YoungPerson.assessments': 'umis.assessments',
  'YoungPerson.plans': 'umis.plans',
  'YoungPerson.allocations': 'allocations',
  'YoungPerson.offences': 'yois.offences',
  'YoungPerson.orders': 'yois.orders',
  'YoungPerson.documents': 'dms.documents',
  'YoungPerson.workerAllocations': 'store.workerAllocations',
};

export function fieldWork(typeName: string, fieldName: string, responseKey: string): FieldWork {
  const coordinate = `${typeName}.${fieldName}`;
  if (SEARCHES.has(coordinate)) return { kind: 'search' };
  const batch = SOURCE_BATCHES[coordinate];
  if (batch) return { kind: 'source', batch };
  // Each root field resolves on its own (two aliases of youngPerson are two lookups, as far as the estimate goes).
  if (typeName === 'Query' || typeName === 'Mutation') return { kind: 'source', batch: `root:${responseKey}` };
  return { kind: 'none' };
}
