import { Prng } from '../prng';
import {
  ageAt,
  DISTRICTS,
  generatePopulation,
  upnCheckLetter,
  type Heritage,
  type SyntheticPerson,
} from '../population';
import {
  DEFAULT_VARIANT_RATES,
  foldAccents,
  spellingVariant,
  transposeDate,
  typo,
  variantFor,
  type PersonVariant,
  type VariantRates,
} from '../variants';

const HERITAGES: readonly Heritage[] = [
  'turkish', 'kurdish', 'black_african', 'black_caribbean', 'charedi_jewish',
  'bangladeshi', 'white_british', 'other_white', 'mixed',
];
const NO_VARIANTS: VariantRates = {
  accentFolding: 0, spellingVariant: 0, typo: 0, nicknameAsForename: 0, knownAsRecorded: 0,
  changedSurname: 0, missingDateOfBirth: 0, transposedDateOfBirth: 0, postcodeNoise: 0, addressAbbreviation: 0,
};

const population = generatePopulation({ seed: 7, size: 5000 });
const share = (items: readonly unknown[], count: number) => count / items.length;

describe('Prng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const c = new Prng(2);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });

  it('keeps values in range', () => {
    const prng = new Prng(5);
    const floats = Array.from({ length: 10_000 }, () => prng.next());
    const ints = Array.from({ length: 10_000 }, () => prng.int(-3, 3));
    expect(floats.filter((x) => !(x >= 0 && x < 1))).toEqual([]);
    expect(new Set(ints)).toEqual(new Set([-3, -2, -1, 0, 1, 2, 3]));
    expect(() => prng.int(2, 1)).toThrow(RangeError);
    expect(() => prng.pick([])).toThrow(RangeError);
  });

  it('honours weights and probabilities', () => {
    const prng = new Prng(9);
    let heads = 0;
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 20_000; i++) {
      if (prng.chance(0.25)) heads++;
      counts[prng.weighted([['a', 3], ['b', 1], ['never', 0]] as const)]++;
    }
    expect(heads / 20_000).toBeGreaterThan(0.23);
    expect(heads / 20_000).toBeLessThan(0.27);
    expect(counts.a / counts.b).toBeGreaterThan(2.7);
    expect(counts.a / counts.b).toBeLessThan(3.3);
    expect(counts.never).toBe(0);
  });

  it('forks streams that do not depend on how much the parent has drawn', () => {
    const fresh = new Prng(11);
    const used = new Prng(11);
    for (let i = 0; i < 100; i++) used.next();
    expect(used.fork('iyss').next()).toBe(fresh.fork('iyss').next());
    expect(fresh.fork('iyss').next()).not.toBe(fresh.fork('umis').next());
    expect(fresh.fork('a/b').next()).not.toBe(fresh.fork('a').fork('b').next());
  });
});

describe('generatePopulation', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(generatePopulation({ seed: 7, size: 5000 })).toEqual(population);
    expect(generatePopulation({ seed: 8, size: 300 })).not.toEqual(population.slice(0, 300));
  });

  it('honours the size', () => {
    for (const size of [0, 1, 2, 7, 1234]) expect(generatePopulation({ seed: 1, size })).toHaveLength(size);
    expect(() => generatePopulation({ seed: 1, size: -1 })).toThrow(RangeError);
  });

  it('gives unique, stable person keys', () => {
    expect(new Set(population.map((p) => p.personKey)).size).toBe(population.length);
    expect(population[122]?.personKey).toBe('P000123');
  });

  it('keeps ages within 8-19 at the reference date', () => {
    for (const referenceDate of ['2026-11-01', '2024-02-29']) {
      const people = generatePopulation({ seed: 3, size: 2000, referenceDate });
      const ages = people.map((p) => ageAt(p.dateOfBirth, referenceDate));
      expect(Math.min(...ages)).toBe(8);
      expect(Math.max(...ages)).toBe(19);
    }
  });

  it('puts every address in a Hackney postcode district', () => {
    const pattern = new RegExp(`^(${DISTRICTS.join('|')}) \\d[ABD-HJLNP-UW-Z]{2}$`);
    expect(population.filter((p) => !pattern.test(p.address.postcode))).toEqual([]);
    expect(new Set(population.map((p) => p.address.postcode.split(' ')[0])).size).toBe(DISTRICTS.length);
  });

  it('groups about 30% of people with one or two siblings who share an address', () => {
    const families = new Map<string, SyntheticPerson[]>();
    for (const person of population) families.set(person.familyId, [...(families.get(person.familyId) ?? []), person]);
    const withSiblings = [...families.values()].filter((members) => members.length > 1);
    const people = withSiblings.flat();
    expect(share(population, people.length)).toBeGreaterThan(0.24);
    expect(share(population, people.length)).toBeLessThan(0.36);
    for (const members of withSiblings) {
      expect(members.length).toBeLessThanOrEqual(3);
      expect(new Set(members.map((m) => JSON.stringify(m.address))).size).toBe(1);
      expect(new Set(members.map((m) => m.forename)).size).toBe(members.length);
    }
    const sameSurname = withSiblings.filter((members) => new Set(members.map((m) => m.surname)).size === 1);
    expect(sameSurname.length / withSiblings.length).toBeGreaterThan(0.75);
    expect(sameSurname.length).toBeLessThan(withSiblings.length);
  });

  it('has every heritage in 2,000 people, with diacritics where names have them', () => {
    const people = population.slice(0, 2000);
    expect(new Set(people.map((p) => p.heritage))).toEqual(new Set(HERITAGES));
    const names = people.flatMap((p) => [p.forename, p.surname]).join(' ').toLowerCase();
    expect(['ç', 'ğ', 'ı', 'ö', 'ş', 'ü'].filter((letter) => !names.includes(letter))).toEqual([]);
    expect(population.some((p) => /^İ/.test(p.forename))).toBe(true);
  });

  it('issues well-formed, unique UPNs for about 70% and PNC numbers for about 8%', () => {
    const upns = population.flatMap((p) => (p.upn ? [p.upn] : []));
    expect(share(population, upns.length)).toBeGreaterThan(0.65);
    expect(share(population, upns.length)).toBeLessThan(0.75);
    expect(new Set(upns).size).toBe(upns.length);
    expect(upns.filter((upn) => !/^[A-Z]\d{12}$/.test(upn) || upn[0] !== upnCheckLetter(upn.slice(1)))).toEqual([]);
    const withPnc = population.filter((p) => p.pncNumber !== null);
    expect(share(population, withPnc.length)).toBeGreaterThan(0.06);
    expect(share(population, withPnc.length)).toBeLessThan(0.1);
    expect(withPnc.filter((p) => !/^20\d{2}\/\d{7}[A-Z]$/.test(p.pncNumber ?? ''))).toEqual([]);
    expect(withPnc.filter((p) => ageAt(p.dateOfBirth, '2026-11-01') < 10)).toEqual([]);
  });

  it('gives nicknames only to names that have one', () => {
    const nicknamed = population.filter((p) => p.nickname !== null);
    expect(nicknamed.length).toBeGreaterThan(0);
    expect(population.some((p) => p.forename === 'Mohammed' && p.nickname === 'Mo')).toBe(true);
    for (const person of nicknamed) expect(person.nickname).not.toBe(person.forename);
  });

  it('generates 20,000 people with unique keys', () => {
    // Speed is measured by `npm run bench`, not asserted here: timed assertions flake on a busy machine.
    const large = generatePopulation({ seed: 1, size: 20_000 });
    expect(new Set(large.map((p) => p.personKey)).size).toBe(20_000);
  });
});

describe('name and date variants', () => {
  it('folds diacritics, including Turkish dotless and dotted i', () => {
    expect(foldAccents('Şeyma Öztürk İrem Yılmaz Çağrı Gül Zoë Łukasz Ștefan Gonçalo')).toBe(
      'Seyma Ozturk Irem Yilmaz Cagri Gul Zoe Lukasz Stefan Goncalo',
    );
  });

  it('picks another spelling from the same group, or folds accents', () => {
    const prng = new Prng(1);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(spellingVariant('Mohammed', prng));
    expect(seen).toEqual(new Set(['Muhammad', 'Mohamed', 'Mohammad', 'Muhammed']));
    expect(['Yitzchak', 'Yitzhak', 'Isaac']).toContain(spellingVariant('Yitzchok', prng));
    expect(['Choudhury', 'Chaudhry', 'Chowdhry']).toContain(spellingVariant('Chowdhury', prng));
    expect(spellingVariant('Öztürk', prng)).toBe('Ozturk');
    expect(spellingVariant('Gül', prng)).toBe('Gul');
    expect(spellingVariant('Smith', prng)).toBe('Smith');
    // Anglicisation is one-way: a Samuel is never rendered as a Shmuel.
    for (let i = 0; i < 50; i++) expect(spellingVariant('Samuel', prng)).toBe('Samuel');
  });

  it('makes exactly one keyboard slip and leaves the first letter alone', () => {
    const prng = new Prng(2);
    for (const name of ['Okonkwo', 'Begum', 'Li', 'Aaron', 'Smith-Campbell', 'Öztürk']) {
      for (let i = 0; i < 50; i++) {
        const slipped = typo(name, prng);
        expect(slipped).not.toBe(name);
        expect(Math.abs(slipped.length - name.length)).toBeLessThanOrEqual(1);
        expect(slipped[0]).toBe(name[0]);
        expect([...slipped].sort().join('') === [...name].sort().join('') || slipped.length !== name.length).toBe(true);
      }
    }
  });

  it('transposes dates to a different, real date', () => {
    const prng = new Prng(3);
    const swapped = new Set<string>();
    for (let i = 0; i < 200; i++) {
      for (const iso of ['2010-03-07', '2012-02-29', '2009-12-31', '2011-01-01']) {
        const wrong = transposeDate(iso, prng);
        expect(wrong).not.toBe(iso);
        expect(new Date(`${wrong}T00:00:00Z`).toISOString().slice(0, 10)).toBe(wrong);
        if (iso === '2010-03-07') swapped.add(wrong);
      }
    }
    expect(swapped).toContain('2010-07-03');
  });

  it('copies a person exactly when every rate is zero', () => {
    const prng = new Prng(4);
    for (const person of population.slice(0, 200)) {
      expect(variantFor(person, prng, NO_VARIANTS)).toEqual({
        forename: person.forename,
        surname: person.surname,
        knownAs: null,
        dateOfBirth: person.dateOfBirth,
        postcode: person.address.postcode,
        line1: person.address.line1,
      });
    }
  });

  it('applies each kind of drift at roughly its rate over 5,000 people', () => {
    const nonAscii = /[^\x20-\x7e]/;
    const nicknamed = population.filter((p) => p.nickname !== null);
    const accented = population.filter((p) => nonAscii.test(p.forename + p.surname));
    const respellable = population.filter((p) => spellingVariant(p.forename, new Prng(0)) !== p.forename);
    expect(nicknamed.length).toBeGreaterThan(300);
    expect(accented.length).toBeGreaterThan(300);
    expect(respellable.length).toBeGreaterThan(300);

    type Drifted = (person: SyntheticPerson, copy: PersonVariant) => boolean;
    const cases: ReadonlyArray<[keyof VariantRates, readonly SyntheticPerson[], Drifted]> = [
      ['missingDateOfBirth', population, (_, v) => v.dateOfBirth === null],
      ['transposedDateOfBirth', population, (p, v) => v.dateOfBirth !== p.dateOfBirth],
      ['postcodeNoise', population, (p, v) => v.postcode !== p.address.postcode],
      ['addressAbbreviation', population, (p, v) => v.line1 !== p.address.line1],
      ['typo', population, (p, v) => v.forename !== p.forename || v.surname !== p.surname],
      ['changedSurname', population, (p, v) => v.surname !== p.surname],
      ['nicknameAsForename', nicknamed, (p, v) => v.forename === p.nickname],
      ['knownAsRecorded', nicknamed, (p, v) => v.knownAs === p.nickname],
      ['accentFolding', accented, (_, v) => !nonAscii.test(v.forename + v.surname)],
      ['spellingVariant', respellable, (p, v) => v.forename !== p.forename],
    ];
    for (const [kind, people, drifted] of cases) {
      // Only this one kind of drift switched on, so each rate is measured on its own.
      const prng = new Prng(`rate:${kind}`);
      const rates = { ...NO_VARIANTS, [kind]: DEFAULT_VARIANT_RATES[kind] };
      const observed = share(people, people.filter((p) => drifted(p, variantFor(p, prng, rates))).length);
      const expected = DEFAULT_VARIANT_RATES[kind];
      expect({ kind, ok: observed > expected * 0.6 && observed < expected * 1.4 + 0.005, observed })
        .toEqual({ kind, ok: true, observed });
    }
  });

  it('keeps most records clean and every postcode recognisable at the default rates', () => {
    const prng = new Prng(6);
    const copies = population.map((person) => ({ person, v: variantFor(person, prng) }));
    const clean = copies.filter(({ person, v }) =>
      v.forename === person.forename && v.surname === person.surname && v.dateOfBirth === person.dateOfBirth);
    expect(share(copies, clean.length)).toBeGreaterThan(0.75);
    const compact = (postcode: string) => postcode.replace(/\s/g, '').toUpperCase();
    const unrecognisable = copies.filter(({ person, v }) => compact(v.postcode) !== compact(person.address.postcode));
    expect(unrecognisable).toEqual([]);
  });
});
