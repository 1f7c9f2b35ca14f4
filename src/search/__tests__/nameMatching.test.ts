import { foldName, namesSimilarity, sqlPrefixesFor, tokenSimilarity } from '../nameMatching';

describe('name matching', () => {
  it('folds case, accents and the Turkish dotless i', () => {
    expect(foldName('  ÖZTÜRK ')).toBe('ozturk');
    expect(foldName('Yılmaz')).toBe('yilmaz');
    expect(foldName('İbrahim Şahin-Çelik')).toBe('ibrahim sahin celik');
    expect(foldName("O'Brien")).toBe('o brien');
    expect(foldName('Małgorzata Wójcik')).toBe('malgorzata wojcik');
  });

  it('ranks exact above variant above prefix above typo, and rejects unrelated names', () => {
    expect(tokenSimilarity('ozturk', 'ozturk')).toBe(1);
    expect(tokenSimilarity('mohamed', 'muhammad')).toBe(0.95);
    expect(tokenSimilarity('moh', 'mohammed')).toBe(0.85);
    const typo = tokenSimilarity('ozturk', 'oztruk');
    expect(typo).toBeGreaterThan(0.5);
    expect(typo).toBeLessThan(0.85);
    expect(tokenSimilarity('smith', 'sadiq')).toBe(0);
  });

  it('requires every searched token to match something', () => {
    expect(namesSimilarity(['ayse', 'kaya'], ['ayse', 'kaya'])).toBe(1);
    expect(namesSimilarity(['ayse', 'kaya'], ['ayse', 'demir'])).toBe(0);
  });

  it('widens SQL prefixes to every accent, case and variant initial', () => {
    const prefixes = sqlPrefixesFor('ozturk');
    expect(prefixes).toEqual(expect.arrayContaining(['o', 'O', 'ö', 'Ö']));
    expect(sqlPrefixesFor('catherine')).toEqual(expect.arrayContaining(['c', 'C', 'k', 'K', 'ç']));
    expect(sqlPrefixesFor('ibrahim')).toEqual(expect.arrayContaining(['I', 'İ', 'ı', 'e', 'E']));
  });
});
