/**
 * SMILES syntax mask for decoding: per row, the tokens that keep the string a well-formed SMILES.
 *
 * The decoder picks tokens freely, and some of its strings break SMILES syntax: an unclosed branch or ring bond,
 * `()`, `<eos>` inside a branch; more break chemistry: a fluorine with two bonds, an aromatic ring without a Kekulé
 * structure. The mask sets the logits of those tokens to -Infinity before the logits processors and the sampler see
 * them, so greedy decoding takes the best allowed token. A row can still paint its aromatic system into a corner:
 * RDKit still judges validity. Grammar-constrained decoding in the spirit
 * of Kusner et al., Grammar VAE (ICML 2017, arXiv:1703.01925) and Dai et al., SD-VAE (ICLR 2018, arXiv:1802.08786),
 * reduced to the branch, ring-bond and valence structure of SMILES (Weininger 1988, doi:10.1021/ci00057a005).
 *
 * The rules are the contract with notebooks/molnav_vae/syntax.py (its docstring has the table); golden outputs of
 * masked greedy decoding (golden.json `greedy_masked_tokens_from_prior`) and a trace of the allowed sets over 120
 * decodes (test/fixtures/syntax-trace.json, test/model/syntax-parity.spec.ts) check that the two agree token for token.
 *
 * Token classes: ATOM (organic-subset, aromatic and bracket atoms), BOND (- = # / \ :), OPEN `(`, CLOSE `)`, RING (a
 * digit or %nn), END (`<eos>`), NEVER (`<pad>`, `<bos>`, `<unk>`, anything else).
 *
 * | after        | ATOM | BOND | OPEN | CLOSE | RING | END |
 * |--------------|------|------|------|-------|------|-----|
 * | start        | x    |      |      |       |      |     |
 * | ATOM or RING | x    | x    | x    | x*    | x    | x** |
 * | CLOSE        | x    | x    | x    | x*    |      | x** |
 * | OPEN         | x    | x    |      |       |      |     |
 * | BOND         | x    |      |      |       | x    |     |
 *
 * (*) inside a branch only; (**) with no open branch and no open ring bond. A ring label closes unless it was opened
 * on the current atom or on the atom the current atom is bonded to in the chain (a second bond between two atoms).
 * OPEN and a new ring label need room to close everything: tokens left after this one > open branches + open labels.
 * Valence: a bond (order 1, or 2 after `=`, 3 after `#`) needs room on both atoms, counted against the atom's
 * largest RDKit valence (B 3, C 4, N 3, O 2, P 5, S 6, halogens 1, aromatic c 4, n 3, o 2, s 4, p 4, b 3); a bracket
 * atom as its element with its charge (N+ as C, O+ and C- as N, O- and N- as O, S+ as P, P+ as Si, S- as Cl) less
 * its written hydrogens ([NH3+] 1, [C@@H] 3); other bracket atoms (isotopes, other elements) are not counted.
 * Dead ends: a token is refused when, after it, a ring label is still open while neither the current atom nor an atom
 * with an open branch has room for another bond (`C1CC(F)(F)F`): nothing could close it.
 * Aromatic rings: a ring bond between two aromatic atoms (lowercase, or a bracket atom with a lowercase element) is
 * allowed only if the shortest path between them through aromatic atoms, when there is one, makes a ring of 4, 5 or
 * 6 atoms, and a 5-ring only if an atom on some shortest path can give the pi pair of a pyrrole-type ring: o, s,
 * [nH], [n-], or an n that has or may still get three bonds (the new bond, its open ring labels and open branches
 * count; the current atom may still take a substituent). The path is searched along the bonds so far, and again with
 * each other open ring label as a bond from the current atom (it may close on it next, as in c12); any pass allows
 * the closure. This is a valence-class rule. Over 65,000 ZINC250k molecules (test split and 60,000 training) it
 * refused 3 real tokens (a tropolone and two fused polycycles).
 * Kekulé rule: an aromatic system must keep a Kekulé structure (kekulisation as a matching of aromatic bonds, as
 * RDKit does it, checked on a partial SMILES in the way of Noel O'Boyle's partialsmiles package). Each aromatic atom
 * is a {@link Pi} kind. An atom is finished once it can take no further bond (not the current atom, no open branch on
 * it, no open ring label). A token is refused if, after it, an aromatic system it touches has no matching of its
 * aromatic bonds that gives every finished atom needing a double bond one, where unfinished atoms may take one if
 * they still can. Checked for an atom after an aromatic atom, `)`, a ring closure and `<eos>`; the search allows
 * past 2,000 steps. Over 45,000 ZINC250k molecules the Kekulé, dead-end and bracket-valence rules refused no token.
 * Tiers: where the Kekulé rule leaves no token it is dropped for the step; where the valence-class rules (valence,
 * dead ends, aromatic rings) leave none, the syntax rules alone decide, so a row always has a token to take. A closer
 * (`)`, a ring closure, `<eos>`) that is the network's own argmax is not refused by the Kekulé rule alone: such a
 * row's aromatic system is beyond repair, and refusing the closure only made it grow atoms to the length limit.
 * Closing mode: once the network's unmasked argmax is `<eos>` while `<eos>` is not allowed, the row only takes `)`,
 * closures of open ring labels and `<eos>` (where one of them is allowed; an atom otherwise), so a row that wanted to
 * stop closes what it left open instead of running on to the length limit; when the Kekulé rule leaves it no closer,
 * the closers of the valence tier are taken (the row ends invalid rather than growing atoms to the length limit).
 */

/** Token classes of the grammar. */
export enum TokenClass {
  Atom,
  Bond,
  Open,
  Close,
  Ring,
  End,
  Never,
}

const ATOM_RE = /^(\[[^\]]+\]|Br|Cl|[BCNOPSFI]|[bcnops]|\*)$/;
const RING_RE = /^([0-9]|%[0-9]{2})$/;
const BOND_ORDER: Readonly<Record<string, number>> = { '-': 1, '=': 2, '#': 3, '/': 1, '\\': 1, ':': 1 };
const MAX_VALENCE: Readonly<Record<string, number>> = {
  B: 3, C: 4, N: 3, O: 2, P: 5, S: 6, F: 1, Cl: 1, Br: 1, I: 1, b: 3, c: 4, n: 3, o: 2, p: 4, s: 4, // prettier-ignore
};
const UNLIMITED = 99;
/**
 * Bracket atoms: largest valence by element and formal charge (a charged atom as its isoelectronic neighbour: N+ as C,
 * O+ and C- as N, O- and N- as O, S+ as P, P+ as Si, S- as Cl), less the hydrogens written in the bracket.
 */
const BRACKET_VALENCE: Readonly<Record<string, number>> = {
  'C0': 4, 'C-1': 3, 'C1': 3, 'N0': 3, 'N1': 4, 'N-1': 2, 'O0': 2, 'O1': 3, 'O-1': 1, 'S0': 6, 'S1': 5, 'S-1': 1, 'P0': 5, 'P1': 4, // prettier-ignore
};
const BRACKET_RE = /^\[([0-9]*)([A-Z][a-z]?|[a-z][a-z]?)(@*)(H[0-9]?)?([+-][0-9]?)?\]$/;
/** Kekulé-rule kinds of atom tokens: whether the atom takes one double bond of a Kekulé structure of its system. */
const enum Pi {
  /** Not aromatic, or aromatic without a double bond: o, s, [nH], [n-]. */
  None = 0,
  /** c: needs one unless it has a double bond outside the system (c=O). */
  Carbon = 1,
  /** n: needs one with two bonds, none with three. */
  Nitrogen = 2,
  /** [n+], [nH+], [o+], [s+]: need one. */
  Cation = 3,
}
const PI_KIND: Readonly<Record<string, Pi>> = { c: Pi.Carbon, n: Pi.Nitrogen, '[n+]': Pi.Cation, '[nH+]': Pi.Cation, '[o+]': Pi.Cation, '[s+]': Pi.Cation };
/** Matching search calls per Kekulé check; past it the check allows the token. */
const KEKULE_BUDGET = 2000;
const AROMATIC_RE = /^(\[[0-9]*(se|as|te|[bcnops])([^a-z].*)?\]|[bcnops])$/;
const DONOR_TOKENS = new Set(['o', 's', '[nH]', '[n-]']);

/** Donor kinds of aromatic atoms for the 5-ring rule. */
const enum Donor {
  None = 0,
  /** o, s, [nH], [n-]: always a pyrrole-type donor. */
  Always = 1,
  /** plain n: a donor with three bonds. */
  WithThreeBonds = 2,
}

/** Largest bond-order sum an atom token can take (UNLIMITED when not known: isotopes, other elements). */
export function maxValenceOf(token: string): number {
  if (token in MAX_VALENCE) return MAX_VALENCE[token];
  const m = BRACKET_RE.exec(token);
  if (!m || m[1]) return UNLIMITED;
  const element = ['c', 'n', 'o', 's', 'p', 'b'].includes(m[2]) ? m[2].toUpperCase() : m[2];
  const h = m[4] ? Number(m[4].slice(1) || 1) : 0;
  const charge = m[5] ? Number(m[5].slice(1) || 1) * (m[5][0] === '+' ? 1 : -1) : 0;
  const v = BRACKET_VALENCE[`${element}${charge}`];
  return v === undefined ? UNLIMITED : v - h;
}

/** The class of one vocabulary token. */
export function tokenClass(token: string): TokenClass {
  if (token === '<eos>') return TokenClass.End;
  if (token === '(') return TokenClass.Open;
  if (token === ')') return TokenClass.Close;
  if (token in BOND_ORDER) return TokenClass.Bond;
  if (RING_RE.test(token)) return TokenClass.Ring;
  if (ATOM_RE.test(token)) return TokenClass.Atom;
  return TokenClass.Never;
}

/** The grammar of one vocabulary: token classes, bond orders and valences by token id. Build once per model. */
export class SmilesGrammar {
  readonly classes: readonly TokenClass[];
  /** Bond order of BOND tokens (0 for others). */
  readonly bondOrder: readonly number[];
  /** Largest valence of ATOM tokens (UNLIMITED for non-atoms and bracket atoms of other elements or isotopes). */
  readonly maxValence: readonly number[];
  /** Id of `<eos>`. */
  readonly endId: number;
  /** Per token id: an aromatic atom? */
  readonly aromatic: readonly boolean[];
  /** Per token id: its {@link Donor} kind. */
  readonly donor: readonly Donor[];
  /** Per token id: its {@link Pi} kind (Kekulé rule). */
  readonly pi: readonly Pi[];
  /** Per-step verdict buffers of SyntaxState.mask, reused (masking is synchronous). */
  readonly scratch: { syntax: Uint8Array; valence: Uint8Array; kekule: Uint8Array };
  /** Per-step values of SyntaxState.stepEnv, reused. */
  readonly env: StepEnv = { canGrow: false, closed: false, afterAtom: false, room: 0, order: 0, stackLive: false, atomKekule: [-1, -1] };

  /** @param tokens the vocabulary, index = token id */
  constructor(readonly tokens: readonly string[]) {
    this.classes = tokens.map(tokenClass);
    this.bondOrder = tokens.map((t) => BOND_ORDER[t] ?? 0);
    this.maxValence = tokens.map(maxValenceOf);
    this.pi = tokens.map((t) => PI_KIND[t] ?? Pi.None);
    this.aromatic = tokens.map((t) => AROMATIC_RE.test(t));
    this.donor = tokens.map((t) => (DONOR_TOKENS.has(t) ? Donor.Always : t === 'n' ? Donor.WithThreeBonds : Donor.None));
    this.endId = this.classes.indexOf(TokenClass.End);
    const n = tokens.length;
    this.scratch = { syntax: new Uint8Array(n), valence: new Uint8Array(n), kekule: new Uint8Array(n) };
    if (this.endId < 0) throw new RangeError('the vocabulary has no <eos>');
  }

  /** A fresh state for one row that may generate at most `maxSteps` tokens (`<eos>` included). */
  start(maxSteps: number): SyntaxState {
    return new SyntaxState(this, maxSteps);
  }
}

/** Scratch buffers of the Kekulé search, shared by all states (the search is synchronous and not re-entrant). */
interface KekuleScratch {
  gen: number;
  mark: Int32Array;
  free: Uint8Array;
  comp: number[];
  req: number[];
}
let kekuleScratch: KekuleScratch = { gen: 0, mark: new Int32Array(256), free: new Uint8Array(256), comp: [], req: [] };
function scratch(size: number): KekuleScratch {
  if (kekuleScratch.mark.length < size) {
    const n = Math.max(size, 2 * kekuleScratch.mark.length);
    kekuleScratch = { gen: 0, mark: new Int32Array(n), free: new Uint8Array(n), comp: [], req: [] };
  }
  return kekuleScratch;
}

/** Verdict bits of SyntaxState.verdict. */
const OK = 1;
const FITS = 2;
const KEKULE = 4;

/** Per-step values shared by the verdicts on every token (SyntaxState.stepEnv). */
interface StepEnv {
  canGrow: boolean;
  closed: boolean;
  afterAtom: boolean;
  room: number;
  order: number;
  stackLive: boolean;
  atomKekule: number[];
}

/** A ring label left open while no reachable atom has room for a bond: nothing could close it. */
function isDead(labelsAfter: number, curRoomAfter: number, stackLiveAfter: boolean): boolean {
  return labelsAfter > 0 && curRoomAfter <= 0 && !stackLiveAfter;
}

/** Index of the largest value, the first on ties (as torch.argmax and GreedySampler). */
function firstArgmax(logits: Float32Array): number {
  let best = 0;
  for (let id = 1; id < logits.length; id++) if (logits[id] > logits[best]) best = id;
  return best;
}

/** The syntax state of one row being decoded. */
export class SyntaxState {
  private generated = 0;
  private prev: TokenClass | undefined; // undefined at the start
  private depth = 0;
  private readonly openRings = new Map<number, number>(); // ring token id -> atom that opened it
  private cur = -1; // the atom the next atom, branch or ring bond attaches to
  private readonly parent: number[] = []; // per atom, its chain neighbour before it (-1 for the first atom)
  private readonly branchPoints: number[] = [];
  private readonly room: number[] = []; // per atom, bond order it can still take
  private pending = 1; // order of the next bond
  private closing = false; // set once the network wanted <eos> before it was allowed
  private readonly atomAromatic: boolean[] = [];
  private readonly atomDonor: Donor[] = [];
  private readonly degree: number[] = []; // per atom, bonds so far
  private readonly adj: number[][] = []; // per atom, bonded atoms
  private readonly pi: Pi[] = []; // per atom, Kekulé-rule kind
  private readonly exo: boolean[] = []; // per atom, has a double or triple bond that is not aromatic (the c of c=O)
  private readonly aadj: number[][] = []; // per atom, neighbours through aromatic bonds
  private readonly labelsAt: number[] = []; // per atom, ring labels it opened that are still open
  private pendingSym: string | undefined; // the bond token before the next bond
  private readonly ringSym = new Map<number, string | undefined>(); // open label -> bond token where it opened

  constructor(
    private readonly grammar: SmilesGrammar,
    private readonly maxSteps: number,
  ) {}

  /** An independent copy of this state (beam search branches a row). */
  clone(): SyntaxState {
    const c = new SyntaxState(this.grammar, this.maxSteps);
    c.generated = this.generated;
    c.prev = this.prev;
    c.depth = this.depth;
    for (const [k, v] of this.openRings) c.openRings.set(k, v);
    c.cur = this.cur;
    c.parent.push(...this.parent);
    c.branchPoints.push(...this.branchPoints);
    c.room.push(...this.room);
    c.pending = this.pending;
    c.closing = this.closing;
    c.atomAromatic.push(...this.atomAromatic);
    c.atomDonor.push(...this.atomDonor);
    c.degree.push(...this.degree);
    for (const a of this.adj) c.adj.push([...a]);
    c.pi.push(...this.pi);
    c.exo.push(...this.exo);
    for (const a of this.aadj) c.aadj.push([...a]);
    c.labelsAt.push(...this.labelsAt);
    c.pendingSym = this.pendingSym;
    for (const [k, v] of this.ringSym) c.ringSym.set(k, v);
    return c;
  }

  /**
   * Sets the logits of the tokens not allowed next to -Infinity, in place.
   * @param logits one row, [vocabSize] float32
   */
  mask(logits: Float32Array): void {
    const { classes, endId } = this.grammar;
    const argmax = firstArgmax(logits);
    const env = this.stepEnv();
    const { syntax, valence, kekule } = this.grammar.scratch; // every entry is written below
    let anyValence = false;
    let anyKekule = false;
    for (let id = 0; id < classes.length; id++) {
      const v = this.verdict(id, env);
      const ok = (v & OK) !== 0;
      const fits = ok && (v & FITS) !== 0;
      const kek = fits && (v & KEKULE) !== 0;
      syntax[id] = ok ? 1 : 0;
      valence[id] = fits ? 1 : 0;
      kekule[id] = kek ? 1 : 0;
      if (fits) anyValence = true;
      if (kek) anyKekule = true;
    }
    // a closer the network wants is not refused by the Kekulé rule alone: a row whose aromatic system cannot be
    // completed goes on as the network intends (and ends invalid) instead of growing atoms to the length limit
    if (anyKekule && valence[argmax] && !kekule[argmax] && this.isCloser(argmax)) kekule[argmax] = 1;
    let allowed = anyKekule ? kekule : anyValence ? valence : syntax;
    if (argmax === endId && !allowed[endId]) this.closing = true;
    if (this.closing) {
      // closers allowed by the Kekulé tier, else by the valence tier: a row whose aromatic system cannot be
      // completed ends (invalid) instead of running on to the length limit
      for (const tier of anyKekule ? [kekule, valence] : [allowed]) {
        const closers = new Uint8Array(classes.length);
        let any = false;
        for (let id = 0; id < classes.length; id++) {
          if (tier[id] && this.isCloser(id)) {
            closers[id] = 1;
            any = true;
          }
        }
        if (any) {
          allowed = closers;
          break;
        }
      }
    }
    for (let id = 0; id < classes.length; id++) if (!allowed[id]) logits[id] = -Infinity;
  }

  /**
   * The greedy choice under the mask: the same token as {@link mask} followed by an argmax (first index on ties), and
   * the same effect on the state, but without judging every token when the network's own argmax is allowed (most
   * steps): that token passes the Kekulé tier, or is a closer that passes the valence tier (allowed by the closer
   * exception, or by the valence tier when no token passes the Kekulé tier). Otherwise masks `logits` in place and
   * takes the argmax of the rest.
   * @param logits one row, [vocabSize] float32; modified only when the fast path does not apply
   */
  greedyChoice(logits: Float32Array): number {
    const argmax = firstArgmax(logits);
    if (!this.closing) {
      const v = this.verdict(argmax, this.stepEnv());
      if ((v & OK) !== 0 && (v & FITS) !== 0 && ((v & KEKULE) !== 0 || this.isCloser(argmax))) return argmax;
    }
    this.mask(logits);
    return firstArgmax(logits);
  }

  /** What every token's verdict of this step shares (in the grammar's reused buffer: masking is synchronous). */
  private stepEnv(): StepEnv {
    const order = this.pending;
    let stackLive = false;
    for (const b of this.branchPoints) if (this.room[b] - (b === this.cur ? order : 0) > 0) stackLive = true;
    const env = this.grammar.env;
    env.canGrow = this.maxSteps - this.generated - 1 > this.depth + this.openRings.size;
    env.closed = this.depth === 0 && this.openRings.size === 0;
    env.afterAtom = this.prev === TokenClass.Atom || this.prev === TokenClass.Ring;
    env.room = this.cur >= 0 ? this.room[this.cur] : UNLIMITED;
    env.order = order;
    // Dead ends: a ring label still open while neither the current atom nor an atom with an open branch has room
    // left for a bond: nothing could close it.
    env.stackLive = stackLive;
    // Kekulé verdict of an ATOM token: the same for all new atoms that can take a double bond (c, n, cations) and for
    // all that cannot (o, s, [nH], non-aromatic atoms); -1 until computed
    env.atomKekule[0] = -1;
    env.atomKekule[1] = -1;
    return env;
  }

  /**
   * The verdict on one token: OK (syntax), FITS (valence, dead ends, aromatic ring size) and KEKULE bits; FITS and
   * KEKULE mean something only with the bits before them set.
   */
  private verdict(id: number, env: StepEnv): number {
    const { classes, bondOrder, maxValence } = this.grammar;
    const { afterAtom, room, order, stackLive } = env;
    const prev = this.prev;
    let ok = false;
    let fits = true;
    let kek = true;
    switch (classes[id]) {
      case TokenClass.Atom:
        ok = true;
        if (this.cur >= 0) {
          const mv = maxValence[id];
          fits = room >= order && mv >= order && !isDead(this.openRings.size, mv - order, stackLive);
          if (fits) {
            const aromatic = this.grammar.aromatic[id];
            const key = aromatic && this.grammar.pi[id] !== Pi.None ? 1 : 0;
            if (env.atomKekule[key] < 0) env.atomKekule[key] = this.kekuleAfterAtom(aromatic, this.grammar.pi[id]) ? 1 : 0;
            kek = env.atomKekule[key] === 1;
          }
        }
        break;
      case TokenClass.Bond:
        ok = afterAtom || prev === TokenClass.Close || prev === TokenClass.Open;
        fits = room >= bondOrder[id];
        break;
      case TokenClass.Open:
        ok = (afterAtom || prev === TokenClass.Close) && env.canGrow;
        fits = room >= 1;
        break;
      case TokenClass.Close:
        ok = (afterAtom || prev === TokenClass.Close) && this.depth > 0;
        if (ok) {
          const bps = this.branchPoints;
          const top = bps[bps.length - 1];
          let below = false;
          for (let i = 0; i < bps.length - 1; i++) if (this.room[bps[i]] > 0) below = true;
          fits = !isDead(this.openRings.size, this.room[top], below);
          kek = this.kekuleAfterClose();
        }
        break;
      case TokenClass.Ring:
        if (afterAtom || prev === TokenClass.Bond) {
          const at = this.openRings.get(id);
          if (at !== undefined) {
            ok = at !== this.cur && at !== this.parent[this.cur];
            fits = room >= order && (!ok || this.aromaticRingOk(id)) && !isDead(this.openRings.size - 1, room - order, stackLive);
            kek = !(ok && fits) || this.kekuleAfterRingClose(id);
          } else {
            ok = env.canGrow;
            fits = room >= order && !isDead(this.openRings.size + 1, room - order, stackLive);
          }
        }
        break;
      case TokenClass.End:
        ok = (afterAtom || prev === TokenClass.Close) && env.closed;
        kek = !ok || this.kekuleAtEnd();
        break;
      default:
        ok = false;
    }
    return (ok ? OK : 0) | (fits ? FITS : 0) | (kek ? KEKULE : 0);
  }

  /** `)`, `<eos>` or the closure of an open ring label. */
  private isCloser(id: number): boolean {
    const c = this.grammar.classes[id];
    return c === TokenClass.Close || c === TokenClass.End || (c === TokenClass.Ring && this.openRings.has(id));
  }

  /** Advances the state by the token chosen. */
  advance(id: number): void {
    const { classes, bondOrder, maxValence } = this.grammar;
    this.generated++;
    switch (classes[id]) {
      case TokenClass.Atom:
        this.parent.push(this.cur);
        this.room.push(maxValence[id]);
        this.atomAromatic.push(this.grammar.aromatic[id]);
        this.atomDonor.push(this.grammar.donor[id]);
        this.degree.push(0);
        this.adj.push([]);
        this.pi.push(this.grammar.pi[id]);
        this.exo.push(false);
        this.aadj.push([]);
        this.labelsAt.push(0);
        if (this.cur >= 0) {
          this.room[this.cur] -= this.pending;
          this.room[this.room.length - 1] -= this.pending;
          this.bond(this.cur, this.room.length - 1, this.pendingSym, this.pending);
        }
        this.pending = 1;
        this.pendingSym = undefined;
        this.cur = this.room.length - 1;
        break;
      case TokenClass.Bond:
        this.pending = bondOrder[id];
        this.pendingSym = this.grammar.tokens[id];
        break;
      case TokenClass.Open:
        this.depth++;
        this.branchPoints.push(this.cur);
        break;
      case TokenClass.Close:
        this.depth--;
        this.cur = this.branchPoints.pop() ?? -1;
        break;
      case TokenClass.Ring: {
        const at = this.openRings.get(id);
        if (at !== undefined) {
          // the opener took its valence share when the label opened
          this.openRings.delete(id);
          this.labelsAt[at]--;
          const sym = this.ringSym.get(id);
          this.ringSym.delete(id);
          this.bond(this.cur, at, this.pendingSym ?? sym, Math.max(this.pending, sym === undefined ? 1 : BOND_ORDER[sym]));
        } else {
          this.openRings.set(id, this.cur);
          this.labelsAt[this.cur]++;
          this.ringSym.set(id, this.pendingSym);
        }
        this.room[this.cur] -= this.pending;
        this.pending = 1;
        this.pendingSym = undefined;
        break;
      }
      default:
        break;
    }
    this.prev = classes[id];
  }

  /** Records a bond of `order` written with bond token `sym` (undefined: none). */
  private bond(a: number, b: number, sym: string | undefined, order: number): void {
    this.adj[a].push(b);
    this.adj[b].push(a);
    this.degree[a]++;
    this.degree[b]++;
    if (this.atomAromatic[a] && this.atomAromatic[b] && (sym === undefined || sym === ':')) {
      this.aadj[a].push(b);
      this.aadj[b].push(a);
    } else if (order >= 2) {
      this.exo[a] ||= this.atomAromatic[a];
      this.exo[b] ||= this.atomAromatic[b];
    }
  }

  /** Whether atom `a` takes no further bond: not the current atom, no open branch on it, no open ring label. */
  private isFinished(a: number): boolean {
    return a !== this.cur && !this.branchPoints.includes(a) && this.labelsAt[a] === 0;
  }

  /** Whether atom `a` may still take a double bond of its aromatic system (before the token). */
  private couldTake(a: number): boolean {
    const kind = this.pi[a];
    if (kind === Pi.None || this.exo[a]) return false;
    return kind !== Pi.Nitrogen || this.degree[a] + this.labelsAt[a] <= 2;
  }

  /** Kekulé rule for an ATOM token of the given kind bonded to the current atom. */
  private kekuleAfterAtom(aromatic: boolean, pi: Pi): boolean {
    const cur = this.cur;
    if (!this.couldTake(cur)) return true; // only an atom that could take a double bond can lose it
    const finishes = !this.branchPoints.includes(cur) && this.labelsAt[cur] === 0;
    const sym = this.pendingSym;
    const aromBond = aromatic && (sym === undefined || sym === ':');
    const n = this.room.length; // index of the new atom
    const exoCur = !aromBond && this.pending >= 2;
    if (!finishes && !exoCur && this.pi[cur] !== Pi.Nitrogen) return true; // nothing lost a way to a double bond
    return this.kekuleOk(cur, -1, cur, n, aromBond, exoCur ? cur : -1, exoCur && aromatic ? n : -1, finishes ? cur : -1, aromatic ? pi : Pi.None, -1);
  }

  /** Kekulé rule for CLOSE: the branch's last atom is finished unless it still has an open label. */
  private kekuleAfterClose(): boolean {
    const last = this.cur;
    if (!this.couldTake(last)) return true;
    const bps = this.branchPoints;
    let below = false;
    for (let i = 0; i < bps.length - 1; i++) if (bps[i] === last) below = true;
    const finishes = last !== bps[bps.length - 1] && !below && this.labelsAt[last] === 0;
    return !finishes || this.kekuleOk(last, -1, -1, -1, false, -1, -1, last, Pi.None, -1);
  }

  /** Kekulé rule for `<eos>`: the current atom is finished. */
  private kekuleAtEnd(): boolean {
    const cur = this.cur;
    return !this.couldTake(cur) || this.kekuleOk(cur, -1, -1, -1, false, -1, -1, cur, Pi.None, -1);
  }

  /** Kekulé rule for closing ring label `id` on the current atom. */
  private kekuleAfterRingClose(id: number): boolean {
    const cur = this.cur;
    const at = this.openRings.get(id)!;
    const curArom = this.atomAromatic[cur];
    const atArom = this.atomAromatic[at];
    if (!curArom && !atArom) return true;
    const opened = this.ringSym.get(id);
    const sym = this.pendingSym ?? opened;
    const order = Math.max(this.pending, opened === undefined ? 1 : BOND_ORDER[opened]);
    const aromBond = curArom && atArom && (sym === undefined || sym === ':');
    const exo = !aromBond && order >= 2;
    const finishes = !this.branchPoints.includes(at) && this.labelsAt[at] === 1;
    // only atoms that could take a double bond can lose it: cur by a double bond or a third bond on n, the opener by
    // a double bond or by being finished (its label turns into the bond: its count stays)
    const curLoses = this.couldTake(cur) && ((exo && curArom) || this.pi[cur] === Pi.Nitrogen);
    const atLoses = this.couldTake(at) && ((exo && atArom) || finishes);
    if (!curLoses && !atLoses) return true;
    return this.kekuleOk(
      curArom ? cur : at,
      curArom && atArom ? at : -1,
      cur,
      at,
      aromBond,
      exo && curArom ? cur : -1,
      exo && atArom ? at : -1,
      finishes ? at : -1,
      Pi.None,
      at,
    );
  }

  /**
   * Whether each aromatic system holding a seed still has a Kekulé structure after the token: a matching of aromatic
   * bonds that gives every finished atom that needs a double bond exactly one, where unfinished atoms may take one if
   * they still can (they may also end up without one: a c can still take =O, an n a third bond).
   * @param seedA the first seed atom; seedB a second one, or -1
   * @param edgeA the bond the token adds, edgeA-edgeB (edgeB = atom count for a new atom of kind newPi; -1: none),
   *   aromatic when edgeAromatic
   * @param exoA atoms the token gives a non-aromatic double bond (-1: none), also exoB
   * @param newly the atom the token finishes (-1: none)
   * @param closing an atom losing one open ring label to the edge (-1: none)
   * A depth-first search over the finished atoms in index order, giving up (allowing) past KEKULE_BUDGET calls; the
   * same search, in the same order, as syntax.py.
   */
  private kekuleOk(
    seedA: number,
    seedB: number,
    edgeA: number,
    edgeB: number,
    edgeAromatic: boolean,
    exoA: number,
    exoB: number,
    newly: number,
    newPi: Pi,
    closing: number,
  ): boolean {
    const nAtoms = this.room.length;
    const s = scratch(nAtoms + 1);
    const gen = ++s.gen;
    const ea = edgeAromatic ? edgeA : -1;
    const eb = edgeAromatic ? edgeB : -1;
    const takes = (a: number, fin: boolean): boolean => {
      const kind = a < nAtoms ? this.pi[a] : newPi;
      if (kind === Pi.None || a === exoA || a === exoB || (a < nAtoms && this.exo[a])) return false;
      if (kind !== Pi.Nitrogen) return true;
      let bonds = (a < nAtoms ? this.degree[a] : 0) + (edgeA >= 0 && (a === edgeA || a === edgeB) ? 1 : 0);
      if (!fin && a < nAtoms) bonds += this.labelsAt[a] - (a === closing ? 1 : 0);
      return bonds <= 2;
    };
    for (const s0 of [seedA, seedB]) {
      if (s0 < 0 || s.mark[s0] === gen) continue;
      const comp = s.comp;
      comp.length = 0;
      comp.push(s0);
      s.mark[s0] = gen;
      for (let q = 0; q < comp.length; q++) {
        const a = comp[q];
        if (a < nAtoms) {
          for (const b of this.aadj[a]) {
            if (s.mark[b] !== gen) {
              s.mark[b] = gen;
              comp.push(b);
            }
          }
        }
        const extra = a === ea ? eb : a === eb ? ea : -1;
        if (extra >= 0 && s.mark[extra] !== gen) {
          s.mark[extra] = gen;
          comp.push(extra);
        }
      }
      const req = s.req;
      req.length = 0;
      for (const a of comp) {
        const fin = a < nAtoms && (a === newly || this.isFinished(a));
        const t = takes(a, fin);
        s.free[a] = t ? 1 : 0;
        if (t && fin) req.push(a);
      }
      if (req.length === 0) continue;
      req.sort((x, y) => x - y);
      let calls = 0;
      const free = s.free;
      const solve = (start: number): boolean => {
        if (++calls > KEKULE_BUDGET) return true;
        let i = start;
        while (i < req.length && !free[req[i]]) i++;
        if (i === req.length) return true;
        const r = req[i];
        free[r] = 0;
        if (r < nAtoms) {
          for (const b of this.aadj[r]) {
            if (free[b]) {
              free[b] = 0;
              if (solve(i + 1)) return true;
              free[b] = 1;
            }
          }
        }
        const extra = r === ea ? eb : r === eb ? ea : -1;
        if (extra >= 0 && free[extra]) {
          free[extra] = 0;
          if (solve(i + 1)) return true;
          free[extra] = 1;
        }
        free[r] = 1;
        return false;
      };
      if (!solve(0)) return false;
    }
    return true;
  }

  /** Whether closing ring label `id` on the current atom passes the aromatic-ring rule (see the module doc). */
  private aromaticRingOk(id: number): boolean {
    const cur = this.cur;
    const at = this.openRings.get(id)!;
    if (!this.atomAromatic[cur] || !this.atomAromatic[at]) return true;
    if (this.aromaticRingOkWith(at, undefined)) return true;
    for (const [other, opener] of this.openRings) {
      if (other !== id && opener !== cur && this.aromaticRingOkWith(at, [cur, opener])) return true;
    }
    return false;
  }

  /** The ring rule for a closure from the current atom to `at`, with an optional extra bond [a, b]. */
  private aromaticRingOkWith(at: number, extra: [number, number] | undefined): boolean {
    const cur = this.cur;
    const dAt = this.distances(at, extra);
    if (dAt[cur] < 0) return true; // no all-aromatic path: the ring mixes in other atoms
    const size = dAt[cur] + 1;
    if (size === 4 || size === 6) return true; // 4: squaric-acid-like rings, which RDKit perceives as aromatic
    if (size !== 5) return false;
    const dCur = this.distances(cur, extra);
    const openAt = new Array<number>(this.adj.length).fill(0);
    for (const opener of this.openRings.values()) openAt[opener]++;
    for (let a = 0; a < this.adj.length; a++) {
      if (dAt[a] < 0 || dCur[a] < 0 || dAt[a] + dCur[a] !== dAt[cur]) continue;
      if (this.atomDonor[a] === Donor.Always) return true;
      if (this.atomDonor[a] === Donor.WithThreeBonds) {
        const branches = this.branchPoints.filter((b) => b === a).length;
        const mayGet = openAt[a] + branches + (a === at ? 1 : 0); // open labels, open branches, the new bond
        if (a === cur || this.degree[a] + mayGet >= 3) return true;
      }
    }
    return false;
  }

  /** BFS distances (bonds) from `start` over aromatic atoms, along bonds and the extra bond; -1 if unreachable. */
  private distances(start: number, extra: [number, number] | undefined): number[] {
    const dist = new Array<number>(this.adj.length).fill(-1);
    dist[start] = 0;
    const queue = [start];
    for (let q = 0; q < queue.length; q++) {
      const a = queue[q];
      const next = extra === undefined ? this.adj[a] : a === extra[0] ? [...this.adj[a], extra[1]] : a === extra[1] ? [...this.adj[a], extra[0]] : this.adj[a];
      for (const b of next) {
        if (dist[b] < 0 && this.atomAromatic[b]) {
          dist[b] = dist[a] + 1;
          queue.push(b);
        }
      }
    }
    return dist;
  }
}
