/**
 * SMILES syntax mask for decoding: per row, the tokens that keep the string a well-formed SMILES.
 *
 * The decoder picks tokens freely, and some of its strings break SMILES syntax: an unclosed branch or ring bond,
 * `()`, `<eos>` inside a branch, a fluorine with two bonds. The mask sets the logits of those tokens to -Infinity
 * before the logits processors and the sampler see them, so greedy decoding takes the best allowed token. It cannot
 * fix aromaticity (kekulization) or charges: RDKit still judges validity. Grammar-constrained decoding in the spirit
 * of Kusner et al., Grammar VAE (ICML 2017, arXiv:1703.01925) and Dai et al., SD-VAE (ICLR 2018, arXiv:1802.08786),
 * reduced to the branch, ring-bond and valence structure of SMILES (Weininger 1988, doi:10.1021/ci00057a005).
 *
 * The rules are the contract with notebooks/molnav_vae/syntax.py (its docstring has the table); golden outputs of
 * masked greedy decoding (golden.json `greedy_masked_tokens_from_prior`) check that the two agree token for token.
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
 * Valence: a bond (order 1, or 2 after `=`, 3 after `#`) needs room on both atoms, counted for organic-subset atoms
 * against their largest RDKit valence (B 3, C 4, N 3, O 2, P 5, S 6, halogens 1, aromatic c 4, n 3, o 2, s 4, p 4,
 * b 3); bracket atoms are not counted. Where the valence rules leave no token (a saturated atom with a ring bond still
 * open), they are dropped for that step and the syntax rules alone decide, so a row always has a token to take.
 * Aromatic rings: a ring bond between two aromatic atoms (lowercase, or a bracket atom with a lowercase element) is
 * allowed only if the shortest path between them through aromatic atoms, when there is one, makes a ring of 4, 5 or
 * 6 atoms, and a 5-ring only if an atom on some shortest path can give the pi pair of a pyrrole-type ring: o, s,
 * [nH], [n-], or an n that has or may still get three bonds (the new bond, its open ring labels and open branches
 * count; the current atom may still take a substituent). The path is searched along the bonds so far, and again with
 * each other open ring label as a bond from the current atom (it may close on it next, as in c12); any pass allows
 * the closure. This is a valence-class rule, dropped with the others when nothing would be left. Over 65,000 ZINC250k
 * molecules (test split and 60,000 training) it refused 3 real tokens (a tropolone and two fused polycycles).
 * Closing mode: once the network's unmasked argmax is `<eos>` while `<eos>` is not allowed, the row only takes `)`,
 * closures of open ring labels and `<eos>` (where one of them is allowed; an atom otherwise), so a row that wanted to
 * stop closes what it left open instead of running on to the length limit.
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
  /** Largest valence of ATOM tokens (UNLIMITED for bracket atoms and non-atoms). */
  readonly maxValence: readonly number[];
  /** Id of `<eos>`. */
  readonly endId: number;
  /** Per token id: an aromatic atom? */
  readonly aromatic: readonly boolean[];
  /** Per token id: its {@link Donor} kind. */
  readonly donor: readonly Donor[];

  /** @param tokens the vocabulary, index = token id */
  constructor(readonly tokens: readonly string[]) {
    this.classes = tokens.map(tokenClass);
    this.bondOrder = tokens.map((t) => BOND_ORDER[t] ?? 0);
    this.maxValence = tokens.map((t) => MAX_VALENCE[t] ?? UNLIMITED);
    this.aromatic = tokens.map((t) => AROMATIC_RE.test(t));
    this.donor = tokens.map((t) => (DONOR_TOKENS.has(t) ? Donor.Always : t === 'n' ? Donor.WithThreeBonds : Donor.None));
    this.endId = this.classes.indexOf(TokenClass.End);
    if (this.endId < 0) throw new RangeError('the vocabulary has no <eos>');
  }

  /** A fresh state for one row that may generate at most `maxSteps` tokens (`<eos>` included). */
  start(maxSteps: number): SyntaxState {
    return new SyntaxState(this, maxSteps);
  }
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
    return c;
  }

  /**
   * Sets the logits of the tokens not allowed next to -Infinity, in place.
   * @param logits one row, [vocabSize] float32
   */
  mask(logits: Float32Array): void {
    const { classes, bondOrder, maxValence, endId } = this.grammar;
    let argmax = 0;
    for (let id = 1; id < logits.length; id++) if (logits[id] > logits[argmax]) argmax = id;
    const left = this.maxSteps - this.generated;
    const canGrow = left - 1 > this.depth + this.openRings.size;
    const closed = this.depth === 0 && this.openRings.size === 0;
    const prev = this.prev;
    const afterAtom = prev === TokenClass.Atom || prev === TokenClass.Ring;
    const room = this.cur >= 0 ? this.room[this.cur] : UNLIMITED;
    const order = this.pending;
    const syntax = new Uint8Array(classes.length);
    const valence = new Uint8Array(classes.length);
    let anyValence = false;
    for (let id = 0; id < classes.length; id++) {
      let ok = false;
      let fits = true;
      switch (classes[id]) {
        case TokenClass.Atom:
          ok = true;
          fits = this.cur < 0 || (room >= order && maxValence[id] >= order);
          break;
        case TokenClass.Bond:
          ok = afterAtom || prev === TokenClass.Close || prev === TokenClass.Open;
          fits = room >= bondOrder[id];
          break;
        case TokenClass.Open:
          ok = (afterAtom || prev === TokenClass.Close) && canGrow;
          fits = room >= 1;
          break;
        case TokenClass.Close:
          ok = (afterAtom || prev === TokenClass.Close) && this.depth > 0;
          break;
        case TokenClass.Ring:
          if (afterAtom || prev === TokenClass.Bond) {
            const at = this.openRings.get(id);
            ok = at === undefined ? canGrow : at !== this.cur && at !== this.parent[this.cur];
            fits = room >= order && (at === undefined || !ok || this.aromaticRingOk(id));
          }
          break;
        case TokenClass.End:
          ok = (afterAtom || prev === TokenClass.Close) && closed;
          break;
        default:
          ok = false;
      }
      syntax[id] = ok ? 1 : 0;
      valence[id] = ok && fits ? 1 : 0;
      if (ok && fits) anyValence = true;
    }
    let allowed = anyValence ? valence : syntax;
    if (argmax === endId && !allowed[endId]) this.closing = true;
    if (this.closing) {
      const closers = new Uint8Array(classes.length);
      let any = false;
      for (let id = 0; id < classes.length; id++) {
        const c = classes[id];
        const closer = c === TokenClass.Close || c === TokenClass.End || (c === TokenClass.Ring && this.openRings.has(id));
        if (allowed[id] && closer) {
          closers[id] = 1;
          any = true;
        }
      }
      if (any) allowed = closers;
    }
    for (let id = 0; id < classes.length; id++) if (!allowed[id]) logits[id] = -Infinity;
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
        if (this.cur >= 0) {
          this.room[this.cur] -= this.pending;
          this.room[this.room.length - 1] -= this.pending;
          this.bond(this.cur, this.room.length - 1);
        }
        this.pending = 1;
        this.cur = this.room.length - 1;
        break;
      case TokenClass.Bond:
        this.pending = bondOrder[id];
        break;
      case TokenClass.Open:
        this.depth++;
        this.branchPoints.push(this.cur);
        break;
      case TokenClass.Close:
        this.depth--;
        this.cur = this.branchPoints.pop() ?? -1;
        break;
      case TokenClass.Ring:
        if (this.openRings.has(id)) {
          this.bond(this.cur, this.openRings.get(id)!); // the opener took its valence share when the label opened
          this.openRings.delete(id);
        } else this.openRings.set(id, this.cur);
        this.room[this.cur] -= this.pending;
        this.pending = 1;
        break;
      default:
        break;
    }
    this.prev = classes[id];
  }

  private bond(a: number, b: number): void {
    this.adj[a].push(b);
    this.adj[b].push(a);
    this.degree[a]++;
    this.degree[b]++;
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
