/**
 * Spelling, transliteration and nickname groups seen in Hackney's records. Names in one group are
 * treated as the same name when searching (ranked just below an exact match). Lower case, unaccented.
 */
const GROUPS: readonly (readonly string[])[] = [
  ['muhammad', 'mohammed', 'mohammad', 'mohamed', 'muhammed', 'mohamad', 'mohamud', 'mehmet', 'mehmed', 'mo'],
  ['ahmed', 'ahmet', 'ahmad', 'ehmed'],
  ['hussain', 'hussein', 'husain', 'hussien', 'husein', 'huseyin'],
  ['chowdhury', 'choudhury', 'chaudhry', 'chaudhary', 'chowdhry', 'choudhry'],
  ['yitzchok', 'yitzchak', 'yitzhak', 'itzik', 'isaac'],
  ['catherine', 'katherine', 'kathryn', 'catharine', 'katharine', 'kate', 'katie', 'cathy'],
  ['aisha', 'ayesha', 'aysha', 'aishah'],
  ['mensah', 'mensa'],
  ['abdi', 'abdy'],
  ['mustafa', 'mustapha', 'mostafa'],
  ['ibrahim', 'ebrahim', 'ibraheem', 'ibrahima'],
  ['fatima', 'fatma', 'fatimah'],
  ['mariam', 'maryam', 'miriam', 'meryem'],
  ['sarah', 'sara'],
  ['hannah', 'hana', 'hanna'],
  ['yusuf', 'yousef', 'yusif', 'yousuf'],
  ['osman', 'usman', 'othman'],
  ['emre', 'emreh'],
  ['daniel', 'danny', 'dan'],
  ['elizabeth', 'liz', 'lizzie', 'beth', 'eliza'],
  ['william', 'will', 'bill', 'billy'],
  ['robert', 'rob', 'bob', 'bobby'],
  ['michael', 'mike', 'mikey', 'micky'],
  ['joseph', 'joe', 'joey'],
  ['samuel', 'sam', 'sammy'],
  ['alexander', 'alex', 'sasha'],
  ['christopher', 'chris'],
  ['benjamin', 'ben', 'benny'],
  ['jonathan', 'jon', 'jonny'],
  ['thomas', 'tom', 'tommy'],
  ['james', 'jim', 'jimmy', 'jamie'],
  ['rebecca', 'becky', 'becca'],
  ['jennifer', 'jen', 'jenny'],
  ['abdullah', 'abdulla', 'abdallah'],
  ['rahman', 'rehman'],
  ['islam', 'eslam'],
  ['okonkwo', 'okonko'],
  ['mohammed ali', 'mohammad ali'],
];

const CANONICAL = new Map<string, string>();
for (const group of GROUPS) for (const name of group) if (!CANONICAL.has(name)) CANONICAL.set(name, group[0]!);

/** The group's first name for a known variant, else the name itself. */
export function canonicalName(folded: string): string {
  return CANONICAL.get(folded) ?? folded;
}

/** Every spelling the gateway knows for a name, including itself. */
export function knownVariants(folded: string): string[] {
  const canonical = CANONICAL.get(folded);
  if (!canonical) return [folded];
  return GROUPS.find((group) => group[0] === canonical)!.slice();
}
