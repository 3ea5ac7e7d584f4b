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

  /** @param tokens the vocabulary, index = token id */
  constructor(readonly tokens: readonly string[]) {
    this.classes = tokens.map(tokenClass);
    this.bondOrder = tokens.map((t) => BOND_ORDER[t] ?? 0);
    this.maxValence = tokens.map((t) => MAX_VALENCE[t] ?? UNLIMITED);
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

  constructor(
    private readonly grammar: SmilesGrammar,
    private readonly maxSteps: number,
  ) {}

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
            fits = room >= order;
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
        if (this.cur >= 0) {
          this.room[this.cur] -= this.pending;
          this.room[this.room.length - 1] -= this.pending;
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
        if (this.openRings.has(id)) this.openRings.delete(id); // the opener took its share when the label opened
        else this.openRings.set(id, this.cur);
        this.room[this.cur] -= this.pending;
        this.pending = 1;
        break;
      default:
        break;
    }
    this.prev = classes[id];
  }
}
