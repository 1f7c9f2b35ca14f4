/**
 * Which folded name tokens stand for the same given name or surname when matching records across
 * systems: spelling and transliteration variants, Hebrew, Polish and other forms registered under an
 * English name at school, and nicknames used as a forename or recorded as "known as".
 *
 * The search module's groups (src/search/nameVariants.ts) are reused as they are; the groups below
 * add what matching needs beyond search. They are general knowledge of names common in Hackney, not
 * derived from any record; many of them also appear in the synthetic generator's own variant and
 * nickname lists, so results measured on synthetic data lean on them (the evaluation's
 * `--names search` option measures without them). Spelling groups are transitive (every name in a
 * group is the same name); nicknames are not: "Jay" may be a Jermaine or a Jayden, but that does not
 * make a Jermaine a Jayden, and siblings can carry exactly such names.
 */
import { canonicalName, knownVariants } from '../search/nameVariants';

/** Spellings and transliterations of one name, lower case and unaccented. */
const SPELLING_GROUPS: readonly (readonly string[])[] = [
  // Arabic-origin names across Bangladeshi, Somali, Turkish and Kurdish families
  ['hassan', 'hasan'],
  ['abdirahman', 'abdurahman', 'abdulrahman', 'abdurrahman', 'abdirahmaan'],
  ['abdul', 'abdool', 'abdoul'],
  ['abdullahi', 'abdilahi', 'abdulahi'],
  ['rahim', 'raheem'],
  ['karim', 'kareem', 'kerim'],
  ['rashid', 'rasheed', 'rashed', 'reshat'],
  ['shahid', 'shahed', 'shaheed'],
  ['faisal', 'faysal', 'feisal'],
  ['ismail', 'ismael', 'esmail', 'ismayil'],
  ['yusuf', 'youssef', 'yousif', 'yusef', 'yousuf', 'yousef'],
  ['ibrahim', 'ebrahim', 'ibraheem', 'ibrahem'],
  ['amina', 'aminah', 'ameena', 'amena'],
  ['halima', 'halimah', 'halime'],
  ['sumaiya', 'sumaya', 'somaiya', 'sumaiyah', 'sumayya'],
  ['tasnim', 'tasneem'],
  ['rukhsana', 'ruksana', 'rukshana'],
  ['jannat', 'jannath'],
  ['nusrat', 'nusrath'],
  ['osman', 'usman', 'othman', 'uthman'],
  ['omer', 'omar', 'umar'],
  ['tanvir', 'tanveer'],
  ['imran', 'emran'],
  ['hamid', 'hamed'],
  ['shafiq', 'shafique', 'shafik'],
  ['rayhan', 'raihan', 'rehan'],
  ['ayaan', 'ayan'],
  ['aisha', 'ayse', 'aishe', 'ayisha'],
  ['sadia', 'sadiya'],
  ['nadia', 'nadiya'],
  ['shirin', 'shireen', 'sirin'],
  ['lamia', 'lamiya'],
  ['anwar', 'anowar'],
  ['fatima', 'fatimah', 'fatma'],
  // Bangladeshi surnames
  ['begum', 'begom'],
  ['uddin', 'udin', 'uddeen'],
  ['miah', 'meah', 'mia'],
  ['hoque', 'haque', 'hoq', 'huq', 'haq'],
  ['akhtar', 'akter', 'akhter', 'aktar'],
  ['khatun', 'khatoon'],
  ['mahmud', 'mahmood', 'mahmoud'],
  ['siddique', 'siddiqui', 'siddiki', 'siddiqi'],
  ['talukdar', 'talukder'],
  ['sarkar', 'sarker'],
  ['ullah', 'ulla'],
  ['hossain', 'hussain'],
  // Turkish and Kurdish
  ['seyma', 'shayma', 'sayma', 'shaima'],
  ['hatice', 'hatije', 'hatidje', 'hatidze'],
  ['sahin', 'shahin'],
  ['arslan', 'aslan'],
  ['servan', 'shervan', 'serwan'],
  ['ciwan', 'civan', 'jiwan'],
  ['welat', 'velat'],
  ['rojhat', 'rojhad'],
  ['ferhat', 'farhad', 'ferhad'],
  ['huseyin', 'husseyin', 'hussein'],
  ['mehmet', 'mehmed'],
  // West and East African
  ['kwabena', 'kobena', 'kwabina'],
  ['kofi', 'koffi'],
  ['kojo', 'kodjo', 'cudjoe'],
  ['kwame', 'kwami'],
  ['oluwaseun', 'oluseun'],
  ['oluwatobi', 'olutobi'],
  ['fadumo', 'faduma', 'fatuma'],
  ['warsame', 'warsama'],
  ['tesfaye', 'tesfay'],
  ['asante', 'asanti'],
  ['boateng', 'boatang'],
  // Caribbean and British
  ['shanice', 'shaniece', 'shanese', 'shaneice'],
  ['tanisha', 'tanesha', 'taneisha'],
  ['keisha', 'kiesha', 'keesha', 'keysha'],
  ['jermaine', 'germaine', 'jermain'],
  ['tyrone', 'tyron'],
  ['dwayne', 'duane', 'dwaine', 'dewayne'],
  ['tyrese', 'tyreese', 'tyreece', 'tyrees'],
  ['jaden', 'jayden', 'jaiden', 'jadon', 'jaydon'],
  ['malachi', 'malakai', 'malachy'],
  ['aaliyah', 'aliyah', 'aleah', 'aliya'],
  ['kiara', 'kyra', 'keira', 'kira', 'ciara'],
  ['chantelle', 'shantelle', 'chantel', 'shantel'],
  ['mckenzie', 'mackenzie'],
  ['clarke', 'clark'],
  ['reid', 'reed', 'read'],
  ['thompson', 'thomson', 'tomson'],
  ['zoe', 'zoey'],
  ['eleanor', 'elinor', 'elenor', 'eleanore'],
  ['callum', 'calum'],
  ['lewis', 'louis'],
  ['connor', 'conor'],
  ['rhys', 'reece', 'reese', 'rees'],
  ['megan', 'meghan'],
  ['matthew', 'mathew'],
  ['sophie', 'sofie'],
  ['sofia', 'sophia', 'zofia'],
  ['isabella', 'isabel', 'isobel'],
  ['stephen', 'steven', 'stefan'],
  // Charedi Jewish: Yiddish, Modern Hebrew and English forms (a Shmuel is often a Samuel at school)
  ['yitzchok', 'isaac'],
  ['moshe', 'moishe', 'moses'],
  ['shmuel', 'shmiel', 'samuel'],
  ['yosef', 'yossef', 'joseph'],
  ['avraham', 'avrohom', 'abraham'],
  ['yaakov', 'yakov', 'yankev', 'jacob', 'jakub'],
  ['binyomin', 'binyamin', 'benjamin'],
  ['yisroel', 'yisrael', 'israel'],
  ['menachem', 'menahem'],
  ['chaim', 'haim', 'hyam'],
  ['chaya', 'chaja', 'haya'],
  ['rivka', 'rifka', 'rebecca'],
  ['rochel', 'ruchel', 'rachel'],
  ['devora', 'dvora', 'deborah'],
  ['chana', 'channa', 'hannah'],
  ['yehudis', 'yehudit', 'judith'],
  ['dovid', 'david'],
  ['friedman', 'friedmann', 'fridman', 'freedman'],
  ['schwartz', 'schwarz', 'shwartz', 'schwarcz'],
  ['weiss', 'weisz', 'weis'],
  ['grunfeld', 'grunfeldt', 'greenfeld'],
  ['katz', 'kats'],
  ['klein', 'kleine', 'kline'],
  ['jacobovits', 'jakobovits', 'jacobowitz', 'jacobovitch'],
  ['lowy', 'lowi', 'loewy'],
  ['teitelbaum', 'teitelboim'],
  ['lieberman', 'liberman', 'liebermann'],
  ['herzog', 'hertzog'],
  ['halpern', 'halperin', 'heilpern'],
  ['kohn', 'cohn', 'cohen'],
  // Polish, Portuguese, Romanian and Italian names and their English forms
  ['ioana', 'joana', 'joanna'],
  ['andrei', 'andrey', 'andrej'],
  ['kowalski', 'kovalski'],
  ['aleksander', 'alexander'],
  ['aleksandra', 'alexandra'],
  ['katarzyna', 'katherine'],
  ['malgorzata', 'margaret'],
  ['michal', 'michael'],
  ['lukasz', 'luke'],
  ['wiktoria', 'victoria'],
  ['joao', 'john'],
  ['piotr', 'peter'],
  ['tomasz', 'thomas'],
];

/** Short forms and the names they shorten (any spelling of those names counts). */
const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  mo: ['muhammad'],
  musti: ['mustafa'],
  memo: ['mehmet'],
  huso: ['huseyin'],
  ibo: ['ibrahim'],
  ibby: ['ibrahim'],
  abdi: ['abdirahman', 'abdul', 'abdullahi'],
  ray: ['rayhan', 'raymond'],
  dan: ['daniel'],
  danny: ['daniel'],
  liz: ['elizabeth'],
  lizzie: ['elizabeth'],
  beth: ['elizabeth'],
  tom: ['thomas'],
  tommy: ['thomas'],
  jamie: ['james'],
  jim: ['james'],
  will: ['william'],
  billy: ['william'],
  alex: ['alexander', 'alexandra'],
  xander: ['alexander'],
  sam: ['samuel', 'samantha'],
  sammy: ['samuel'],
  josh: ['joshua'],
  ben: ['benjamin'],
  benji: ['benjamin'],
  benny: ['benjamin'],
  matt: ['matthew'],
  joe: ['joseph'],
  ed: ['edward'],
  eddie: ['edward'],
  jess: ['jessica'],
  becky: ['rebecca'],
  becca: ['rebecca'],
  kate: ['katherine'],
  katie: ['katherine'],
  abbie: ['abigail'],
  abi: ['abigail'],
  lottie: ['charlotte'],
  charlie: ['charlotte', 'charles'],
  liv: ['olivia'],
  ellie: ['eleanor'],
  bella: ['isabella'],
  izzy: ['isabella'],
  nate: ['nathaniel', 'nathan'],
  nat: ['nathaniel', 'natalie'],
  mike: ['michael'],
  mikey: ['michael'],
  dave: ['david'],
  manny: ['emmanuel'],
  jay: ['jermaine', 'jason', 'jayden'],
  marc: ['marcus'],
  emeka: ['chukwuemeka'],
  tobi: ['oluwatobi'],
  seun: ['oluwaseun'],
  mide: ['olumide'],
  bayo: ['adebayo'],
  tope: ['temitope'],
  funmi: ['funmilayo'],
  amaka: ['chiamaka'],
  itzy: ['yitzchok'],
  shmuli: ['shmuel'],
  yossi: ['yosef'],
  moishy: ['moshe'],
  avi: ['avraham'],
  mendy: ['menachem'],
  yanky: ['yaakov'],
  rivky: ['rivka'],
  esti: ['esther'],
  suri: ['sarah'],
  miri: ['miriam'],
  tzippy: ['tzipora'],
  yidis: ['yehudis'],
  olek: ['aleksander'],
  kasia: ['katarzyna'],
  gosia: ['malgorzata'],
  wojtek: ['wojciech'],
  kuba: ['jakub'],
  zuza: ['zuzanna'],
  ola: ['aleksandra'],
  tomek: ['tomasz'],
  gonca: ['goncalo'],
  chris: ['christopher'],
  nick: ['nicholas'],
  rob: ['robert'],
  bob: ['robert'],
};

/** Answers "could these two folded tokens be the same name?" without edit distance. */
export interface NameKnowledge {
  /** The spelling class of a token: equal classes mean the same name spelled differently. */
  classOf(token: string): string;
  /** The classes a nickname shortens (empty when the token is not a known nickname). */
  nicknameTargets(token: string): readonly string[];
  /** True when the tokens are spellings of one name, or one is a nickname of the other (or both of one name). */
  sameName(a: string, b: string): boolean;
  /** Class representatives a token may stand for: its own class and, for a nickname, the names it shortens. */
  blockingForms(token: string): readonly string[];
  /** Every known spelling in the token's class (the token itself included), for typo checks against a variant. */
  spellingsOf(token: string): readonly string[];
}

class UnionFind {
  private readonly parent = new Map<string, string>();

  find(x: string): string {
    let root = x;
    for (let next = this.parent.get(root); next !== undefined && next !== root; next = this.parent.get(root)) root = next;
    // Path compression keeps later lookups flat.
    let node = x;
    while (node !== root) {
      const next = this.parent.get(node) ?? root;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The alphabetically first root wins, so classes do not depend on insertion order.
    if (ra === rb) return;
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }
}

function buildKnowledge(groups: readonly (readonly string[])[], nicknames: Readonly<Record<string, readonly string[]>>): NameKnowledge {
  const classes = new UnionFind();
  // Unite through the search module's canonical names, so a group here that shares one name with a
  // search group joins the whole of it.
  for (const group of groups) {
    for (const name of group.slice(1)) classes.union(canonicalName(group[0] as string), canonicalName(name));
  }
  const cache = new Map<string, string>();
  const classOf = (token: string): string => {
    let cls = cache.get(token);
    if (cls === undefined) {
      // The search module's groups mix nicknames into spelling groups; its canonical name is a
      // fine starting point, and our own groups then join what it leaves apart.
      cls = classes.find(canonicalName(token));
      cache.set(token, cls);
    }
    return cls;
  };
  const members = new Map<string, Set<string>>();
  const addMember = (name: string) => {
    const cls = classOf(name);
    let set = members.get(cls);
    if (!set) members.set(cls, (set = new Set()));
    set.add(name);
  };
  for (const group of groups) for (const name of group) for (const variant of knownVariants(name)) addMember(variant);
  const targets = new Map<string, string[]>();
  for (const [nickname, names] of Object.entries(nicknames)) targets.set(nickname, names.map(classOf));
  const nicknameTargets = (token: string): readonly string[] => targets.get(token) ?? [];
  return {
    classOf,
    nicknameTargets,
    sameName(a, b) {
      if (a === b) return true;
      const ca = classOf(a);
      const cb = classOf(b);
      if (ca === cb) return true;
      const ta = nicknameTargets(a);
      const tb = nicknameTargets(b);
      if (ta.includes(cb) || tb.includes(ca)) return true;
      return ta.length > 0 && tb.some((t) => ta.includes(t));
    },
    spellingsOf(token) {
      const known = members.get(classOf(token));
      if (known) return known.has(token) ? [...known] : [token, ...known];
      return knownVariants(token);
    },
    blockingForms(token) {
      const forms = [classOf(token), ...nicknameTargets(token)];
      return forms.length === 1 ? forms : [...new Set(forms)];
    },
  };
}

/** The search module's groups plus this module's spelling groups and nicknames: the default for matching. */
export const EXTENDED_NAME_KNOWLEDGE: NameKnowledge = buildKnowledge(SPELLING_GROUPS, NICKNAMES);

/**
 * Only the search module's groups. Used to measure how much matching leans on the lists above,
 * which matters because real records hold names no list anticipates.
 */
export const SEARCH_NAME_KNOWLEDGE: NameKnowledge = buildKnowledge([], {});
