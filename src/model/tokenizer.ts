/**
 * Regex SMILES tokenizer and vocabulary, the TypeScript twin of notebooks/molnav_vae/tokenizer.py.
 *
 * The pattern (Schwaller et al., ACS Cent. Sci. 2019, 5, 1572) is read from the model's vocab.json, which the Python
 * side writes, so both sides split SMILES the same way: bracket atoms (`[C@@H]`, `[nH]`, `[N+]`) are one token,
 * `Cl` and `Br` are two-letter atoms, ring-bond numbers are one digit or `%nn`.
 */
import { OutOfVocabularyError, UntokenizableSmilesError } from './errors';

/** The vocab.json contract: token of id i is `tokens[i]`; special ids are fixed at 0..3. */
export interface VocabJson {
  tokens: string[];
  pad: number;
  bos: number;
  eos: number;
  unk: number;
  pattern: string;
}

/** Special token names at ids 0..3, in order. */
export const SPECIAL_TOKENS = Object.freeze(['<pad>', '<bos>', '<eos>', '<unk>'] as const);

/** A tokenised SMILES string: the token strings and the character offset of each. */
export interface Tokens {
  tokens: string[];
  offsets: number[];
}

/**
 * Tokenizer bound to one model vocabulary.
 *
 * Note: ids of the vocabulary are the model's; a tokenizer built from one model's vocab.json must not be used with
 * another model.
 */
export class SmilesTokenizer {
  readonly pad: number;
  readonly bos: number;
  readonly eos: number;
  readonly unk: number;
  /** The regex source, as in vocab.json. */
  readonly pattern: string;
  private readonly itos: readonly string[];
  private readonly stoi: ReadonlyMap<string, number>;
  private readonly sticky: RegExp;

  /**
   * @throws {Error} when the vocabulary is malformed (special ids not 0..3, duplicate tokens) or the pattern does not
   *   compile as a JavaScript regex
   */
  /** The vocabulary, index = token id. */
  get vocabulary(): readonly string[] {
    return this.itos;
  }

  constructor(vocab: VocabJson) {
    if (!Array.isArray(vocab.tokens) || vocab.tokens.some((t) => typeof t !== 'string' || t.length === 0)) {
      throw new Error('vocab.tokens must be an array of non-empty strings');
    }
    const specials = { pad: vocab.pad, bos: vocab.bos, eos: vocab.eos, unk: vocab.unk };
    const expected = { pad: 0, bos: 1, eos: 2, unk: 3 };
    for (const [k, id] of Object.entries(specials)) {
      const want = expected[k as keyof typeof expected];
      if (id !== want || vocab.tokens[want] !== SPECIAL_TOKENS[want]) {
        throw new Error(`vocab: ${k} must be id ${want} (${SPECIAL_TOKENS[want]}), got id ${id} / ${vocab.tokens[want]}`);
      }
    }
    const stoi = new Map<string, number>();
    vocab.tokens.forEach((t, i) => {
      if (stoi.has(t)) throw new Error(`vocab: duplicate token ${JSON.stringify(t)} at ids ${stoi.get(t)} and ${i}`);
      stoi.set(t, i);
    });
    this.itos = Object.freeze([...vocab.tokens]);
    this.stoi = stoi;
    this.pad = vocab.pad;
    this.bos = vocab.bos;
    this.eos = vocab.eos;
    this.unk = vocab.unk;
    this.pattern = vocab.pattern;
    // Sticky: a match must start exactly at lastIndex, so a gap in the cover is found where it starts.
    this.sticky = new RegExp(vocab.pattern, 'y');
  }

  /** Vocabulary size V (logits have V columns). */
  get size(): number {
    return this.itos.length;
  }

  /** Token string of an id (special tokens included), or undefined for an id outside the vocabulary. */
  token(id: number): string | undefined {
    return this.itos[id];
  }

  /** Id of a token string, or undefined when it is not in the vocabulary. */
  id(token: string): number | undefined {
    return this.stoi.get(token);
  }

  /**
   * Splits SMILES into tokens with their character offsets. Same result as Python's `tokenize`.
   * @param index index of the input in a request, copied into errors
   * @throws {UntokenizableSmilesError} when the string is empty or tokens do not cover it (e.g. a space, `X`, `[C`)
   */
  tokenizeWithOffsets(smiles: string, index?: number): Tokens {
    if (typeof smiles !== 'string' || smiles.length === 0) throw new UntokenizableSmilesError(String(smiles), -1, index);
    const re = this.sticky;
    const tokens: string[] = [];
    const offsets: number[] = [];
    let pos = 0;
    while (pos < smiles.length) {
      re.lastIndex = pos;
      const m = re.exec(smiles);
      if (m === null || m[0].length === 0) throw new UntokenizableSmilesError(smiles, pos, index);
      tokens.push(m[0]);
      offsets.push(pos);
      pos += m[0].length;
    }
    return { tokens, offsets };
  }

  /**
   * Splits SMILES into tokens.
   * @throws {UntokenizableSmilesError} see {@link tokenizeWithOffsets}
   */
  tokenize(smiles: string, index?: number): string[] {
    return this.tokenizeWithOffsets(smiles, index).tokens;
  }

  /**
   * Token ids of a SMILES string, without `<bos>`/`<eos>` (the encoder's input format).
   *
   * Unlike Python's `Vocab.encode`, which maps unknown tokens to `<unk>`, this refuses them: the encoder never saw
   * `<unk>` in training, so its latent would be meaningless.
   * @param index index of the input in a request, copied into errors
   * @throws {UntokenizableSmilesError} when tokens do not cover the string
   * @throws {OutOfVocabularyError} naming the first token not in the vocabulary
   */
  encode(smiles: string, index?: number): number[] {
    const { tokens, offsets } = this.tokenizeWithOffsets(smiles, index);
    return tokens.map((t, i) => {
      const id = this.stoi.get(t);
      if (id === undefined || id < SPECIAL_TOKENS.length) throw new OutOfVocabularyError(smiles, t, offsets[i], index);
      return id;
    });
  }

  /**
   * SMILES string of token ids: stops at the first `<eos>`, skips `<pad>` and `<bos>`; `<unk>` and ids outside the
   * vocabulary come out as `<unk>` (the result is then not valid SMILES, which the chemistry layer reports).
   * Same result as Python's `Vocab.decode` for ids inside the vocabulary.
   */
  decode(ids: Iterable<number>): string {
    let out = '';
    for (const id of ids) {
      if (id === this.eos) break;
      if (id === this.pad || id === this.bos) continue;
      out += this.itos[id] ?? SPECIAL_TOKENS[3];
    }
    return out;
  }
}
