/**
 * The SMILES syntax mask (src/model/syntax.ts): it must never reject a token of a real molecule, and it must reject
 * the token that breaks a SMILES. Parity with the Python mask is checked on golden decodes in onnx-parity.spec.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ChemService } from '../../src/chem/chem.service';
import { maxValenceOf, SmilesGrammar, SyntaxState, tokenClass, TokenClass } from '../../src/model/syntax';
import { SmilesTokenizer, VocabJson } from '../../src/model/tokenizer';
import { MODEL_DIRS, REPO_ROOT } from './helpers';

const shipped = MODEL_DIRS.find((m) => m.label === 'shipped model')!;
const vocab = JSON.parse(readFileSync(path.join(shipped.dir, 'vocab.json'), 'utf8')) as VocabJson;
const tokenizer = new SmilesTokenizer(vocab);
const grammar = new SmilesGrammar(tokenizer.vocabulary);
const id = (t: string) => tokenizer.vocabulary.indexOf(t);

/** Feeds `tokens` to a fresh state; returns the state and the first token the mask refused (undefined: none). */
function walk(tokens: string[], maxSteps = 121): { state: SyntaxState; refused?: string } {
  const state = grammar.start(maxSteps);
  for (const t of tokens) {
    if (!allowed(state).has(t)) return { state, refused: t };
    state.advance(id(t));
  }
  return { state };
}

/** Tokens the state allows next, given flat logits (so closing mode is not triggered). */
function allowed(state: SyntaxState, logits = new Float32Array(grammar.tokens.length)): Set<string> {
  const l = Float32Array.from(logits);
  state.mask(l);
  return new Set(grammar.tokens.filter((_, i) => l[i] !== -Infinity));
}

describe('SMILES syntax mask', () => {
  let chem: ChemService;
  beforeAll(async () => {
    chem = await new ChemService().init();
  });
  afterAll(() => chem?.onModuleDestroy());

  it('classifies the vocabulary tokens', () => {
    expect(['C', 'c', 'Cl', 'Br', '[nH]', '[C@@H]', '[N+]'].map(tokenClass)).toEqual(Array(7).fill(TokenClass.Atom));
    expect(['=', '#', '-', '/', '\\'].map(tokenClass)).toEqual(Array(5).fill(TokenClass.Bond));
    expect(['1', '8', '%10'].map(tokenClass)).toEqual(Array(3).fill(TokenClass.Ring));
    expect(['(', ')', '<eos>', '<pad>', '<bos>', '<unk>', '.'].map(tokenClass)).toEqual([
      TokenClass.Open, TokenClass.Close, TokenClass.End, TokenClass.Never, TokenClass.Never, TokenClass.Never, TokenClass.Never, // prettier-ignore
    ]);
  });

  it('counts bracket atoms against the valence of their element and charge, less their hydrogens', () => {
    const tokens = ['[NH3+]', '[NH2+]', '[NH+]', '[N+]', '[O-]', '[C@@H]', '[C@]', '[nH]', '[n+]', '[S-]', '[S@@]', '[CH2-]', '[13C]', 'C', 'c', 'F'];
    expect(tokens.map(maxValenceOf)).toEqual([1, 2, 3, 4, 1, 3, 4, 2, 4, 1, 6, 1, 99, 4, 4, 1]);
  });

  it('allows every token of the canonical SMILES of the approved drugs the vocabulary covers', () => {
    const rows = readFileSync(path.join(REPO_ROOT, 'src/chem/data/approved-drugs.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .slice(1)
      .map((l) => l.split('\t')[2]);
    let walked = 0;
    const refused: string[] = [];
    for (const raw of rows) {
      const smiles = chem.canonical(raw);
      if (!smiles || smiles.length > 100) continue;
      let tokens: string[];
      try {
        tokens = tokenizer.tokenize(smiles);
      } catch {
        continue;
      }
      if (tokens.some((t) => id(t) < 0)) continue; // a token outside the vocabulary
      walked++;
      const { state, refused: bad } = walk([...tokens, '<eos>']);
      if (bad !== undefined) refused.push(`${smiles} (refused ${bad})`);
      expect(state).toBeDefined();
    }
    expect(walked).toBeGreaterThan(500);
    expect(refused).toEqual([]);
  });

  it.each([
    ['an unclosed ring', ['C', '1', 'C', 'C'], '<eos>'],
    ['an unclosed branch', ['C', 'C', '(', 'C'], '<eos>'],
    ['an empty branch', ['C', '('], ')'],
    ['a branch at the start', [], '('],
    ['a close without a branch', ['C', 'C'], ')'],
    ['a ring bond on the opening atom (C11)', ['C', '1'], '1'],
    ['a ring bond to the chain neighbour (C1C1)', ['C', '1', 'C'], '1'],
    ['a ring bond to the branch point after a branch', ['C', 'C', '1', '(', 'C', ')', 'C'], '1'],
    ['a ring digit after a close', ['C', '(', 'C', ')'], '1'],
    ['a second bond on fluorine', ['C', 'F'], 'C'],
    ['a branch on fluorine', ['C', 'F'], '('],
    ['a double bond on a carbon with three bonds', ['C', 'C', '(', 'C', ')', '(', 'C', ')'], '='],
    ['a triple bond to oxygen', ['C', '#'], 'O'],
    ['<eos> after a bond', ['C', '='], '<eos>'],
    ['an all-carbon aromatic 5-ring', ['c', '1', 'c', 'c', 'c', 'c'], '1'],
    ['an aromatic 5-ring of c and a pyridine-type n', ['c', '1', 'c', 'c', 'n', 'c'], '1'],
    ['an aromatic 7-ring', ['c', '1', 'c', 'c', 'c', 'c', 'c', 'c'], '1'],
    ['a second bond on [NH3+]', ['C', '[NH3+]'], 'C'],
    ['a fluorine that leaves ring 1 with nothing to close it', ['C', '1', 'C', 'C'], 'F'],
    ['a C=O that leaves ring 1 with nothing to close it', ['C', '1', 'C', 'C', '='], 'O'],
    ['a second pyrrole-type atom in a 5-ring (s)', ['C', 'n', '1', 'c', 'c', 'c', '(', 'C', ')'], 's'],
    ['a second pyrrole-type atom in a 5-ring ([nH])', ['C', 'n', '1', 'c', 'c', 'c', '(', 'C', ')'], '[nH]'],
    ['a 6-ring closed on a pyrrole-type [nH]', ['c', '1', 'c', 'c', 'c', 'c', '[nH]'], '1'],
    ['<eos> with five atoms of a ring needing a double bond', ['c', '1', 'n', 'c', 'c', 'o', 'c', '1'], '<eos>'],
  ])('refuses %s', (_, prefix, next) => {
    const { state, refused } = walk(prefix);
    expect(refused).toBeUndefined();
    expect(allowed(state).has(next)).toBe(false);
  });

  it('still allows the closures that make those strings valid', () => {
    expect(allowed(walk(['C', '1', 'C', 'C']).state).has('1')).toBe(true);
    expect(allowed(walk(['C', 'C', '(', 'C']).state).has(')')).toBe(true);
    expect(allowed(walk(['C', 'C', '(', '=', 'O', ')']).state).has('<eos>')).toBe(true);
    expect(allowed(walk(['C', '1', 'C', 'C', 'C']).state).has('1')).toBe(true);
    expect(allowed(walk(['c', '1', 'c', 'c', 'c', 'c', 'c']).state).has('1')).toBe(true); // benzene
    expect(allowed(walk(['c', '1', 'c', 'c', '[nH]', 'c']).state).has('1')).toBe(true); // pyrrole
    expect(allowed(walk(['c', '1', 'c', 'c', 'o', 'c']).state).has('1')).toBe(true); // furan
    expect(allowed(walk(['C', 'n', '1', 'c', 'c', 'c']).state).has('1')).toBe(true); // N-methylpyrrole
    expect(allowed(walk(['c', '1', 'c', 'c', 'c', 'n']).state).has('1')).toBe(true); // n may still take a substituent
    expect(allowed(walk(['C', 'C', '1', 'C', 'C', 'C', 'C']).state).has('1')).toBe(true); // aliphatic 5-ring
    expect(allowed(walk(['C', '[NH2+]']).state).has('C')).toBe(true);
    expect(allowed(walk(['C', '1', 'C', 'C']).state).has('C')).toBe(true);
    expect(allowed(walk(['C', '1', 'C', 'C', '(', 'C']).state).has('F')).toBe(true); // the branch point has room
    expect(allowed(walk(['C', 'n', '1', 'c', 'c', 'c', '(', 'C', ')']).state).has('n')).toBe(true); // a pyrazole
    expect(allowed(walk(['c', '1', 'c', 'c', 'c', 'c', 'n']).state).has('1')).toBe(true); // pyridine
    expect(allowed(walk(['c', '1', 'n', 'c', 'c', 'o', 'c', '1', '=']).state).has('O')).toBe(true); // c=O: no need
  });

  it.each([
    ['naphthalene', 'c1ccc2ccccc2c1'],
    ['caffeine', 'Cn1c(=O)c2c(ncn2C)n(C)c1=O'],
    ['2-pyridone', 'O=c1cccc[nH]1'],
  ])('allows every token of %s, fused and exocyclic double bonds included', (_, smiles) => {
    expect(walk([...tokenizer.tokenize(smiles), '<eos>']).refused).toBeUndefined();
  });

  it('does not refuse a closer the network wants on the Kekulé rule alone (the row ends instead of running on)', () => {
    const ring = ['c', '1', 'n', 'c', 'c', 'o', 'c', '1'];
    const logits = new Float32Array(grammar.tokens.length);
    logits[id('<eos>')] = 5;
    expect(allowed(walk(ring).state).has('<eos>')).toBe(false);
    expect(allowed(walk(ring).state, logits).has('<eos>')).toBe(true);
    // inside a branch <eos> needs `)` first, which the Kekulé rule refuses: closing mode takes it from the valence tier
    const branch = ['C', '(', ...ring];
    expect(allowed(walk(branch).state).has(')')).toBe(false);
    expect([...allowed(walk(branch).state, logits)]).toEqual([')']);
  });

  it('stops opening branches and rings when only enough steps are left to close what is open', () => {
    const { state } = walk(['C', '(', 'C', '1', 'C', 'C'], 9); // 3 tokens left: '1' + ')' + <eos>
    const next = allowed(state);
    expect(next.has('(')).toBe(false);
    expect(next.has('2')).toBe(false);
    expect(next.has('1')).toBe(true);
  });

  it('enters closing mode when the network wants <eos> early, then takes only closures', () => {
    const state = walk(['C', '1', 'C', 'C', '(', 'C']).state;
    const logits = new Float32Array(grammar.tokens.length);
    logits[id('<eos>')] = 5; // argmax <eos>, not allowed yet
    logits[id('C')] = 4;
    expect([...allowed(state, logits)].sort()).toEqual([')', '1']);
    state.advance(id(')'));
    expect(allowed(state).has('C')).toBe(true); // no closure can follow ')': an atom comes first
    state.advance(id('C'));
    expect([...allowed(state)]).toEqual(['1']); // closing mode persists with flat logits: close ring 1, nothing else
  });
});
