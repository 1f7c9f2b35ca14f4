/**
 * Subjects for the DMS tests, standing in for what the other systems' seeds hand to installDms:
 * the real IYSS seed's young people, plus made-up UMIS client GUIDs and YOIS PERSON_IDs for parts
 * of the same population (the UMIS and YOIS seeds are built elsewhere).
 */
import { generateIyssRows } from '../../synthetic/iyss/seedRows';
import { Prng } from '../../synthetic/prng';
import type { SyntheticPerson } from '../../synthetic/population';
import type { DmsSubject } from '../../synthetic/dms/seedRows';

const hex = (prng: Prng, n: number): string => Array.from({ length: n }, () => prng.int(0, 15).toString(16)).join('');

export function madeUpGuid(prng: Prng): string {
  return `${hex(prng, 8)}-${hex(prng, 4)}-4${hex(prng, 3)}-${prng.pick(['8', '9', 'a', 'b'])}${hex(prng, 3)}-${hex(prng, 12)}`;
}

export function testSubjects(population: readonly SyntheticPerson[], seed: number): DmsSubject[] {
  const iyss = generateIyssRows(population, { seed });
  const prng = new Prng(seed).fork('dms-test-subjects');
  const umis = prng.fork('umis');
  const yois = prng.fork('yois');
  const subjects: DmsSubject[] = iyss.truth.map((t) => ({
    system: 'IYSS',
    sourceId: String(t.youngPersonId),
    personKey: t.personKey,
  }));
  for (const person of population) {
    if (umis.chance(0.4)) subjects.push({ system: 'UMIS', sourceId: madeUpGuid(umis), personKey: person.personKey });
  }
  let personId = 7000;
  for (const person of population) {
    if (person.pncNumber !== null || yois.chance(0.05)) {
      personId += yois.int(1, 9);
      subjects.push({ system: 'YOIS', sourceId: String(personId), personKey: person.personKey });
    }
  }
  return subjects;
}
