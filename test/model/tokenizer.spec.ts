import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { OutOfVocabularyError, UntokenizableSmilesError } from '../../src/model/errors';
import { SmilesTokenizer, SPECIAL_TOKENS, VocabJson } from '../../src/model/tokenizer';
import { isModelDir, MODEL_DIRS } from './helpers';

/** Python tokenizer outputs (fixtures/make_tokenizer_cases.py). */
const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'tokenizer-cases.json'), 'utf8')) as {
  pattern: string;
  cases: { smiles: string; tokens: string[] }[];
  untokenizable: string[];
};

/** A vocabulary built like Python's Vocab.build: specials, then the sorted tokens of the fixture cases. */
function fixtureVocab(): VocabJson {
  const seen = new Set<string>();
  for (const c of fixture.cases) c.tokens.forEach((t) => seen.add(t));
  // JS default sort compares UTF-16 code units, as Python sorts these ASCII strings.
  return { tokens: [...SPECIAL_TOKENS, ...[...seen].sort()], pad: 0, bos: 1, eos: 2, unk: 3, pattern: fixture.pattern };
}

describe('SmilesTokenizer', () => {
  const tok = new SmilesTokenizer(fixtureVocab());

  it('splits every fixture SMILES exactly as the Python tokenizer', () => {
    expect(fixture.cases.length).toBeGreaterThan(90);
    for (const c of fixture.cases) expect([c.smiles, tok.tokenize(c.smiles)]).toEqual([c.smiles, c.tokens]);
  });

  it('keeps bracket atoms whole', () => {
    expect(tok.tokenize('C[C@@H](N)[nH+]')).toEqual(['C', '[C@@H]', '(', 'N', ')', '[nH+]']);
    expect(tok.tokenize('[13CH3][Fe+2]')).toEqual(['[13CH3]', '[Fe+2]']);
  });

  it('reads Cl and Br as one atom, but B, C on their own', () => {
    expect(tok.tokenize('ClCBrBC')).toEqual(['Cl', 'C', 'Br', 'B', 'C']);
  });

  it('reads %nn as one ring-bond token and single digits separately', () => {
    expect(tok.tokenize('C%10CC%10C12')).toEqual(['C', '%10', 'C', 'C', '%10', 'C', '1', '2']);
  });

  it('gives character offsets', () => {
    expect(tok.tokenizeWithOffsets('Cl[nH]%12c')).toEqual({ tokens: ['Cl', '[nH]', '%12', 'c'], offsets: [0, 2, 6, 9] });
  });

  it('round-trips real SMILES through encode and decode', () => {
    for (const c of fixture.cases) {
      const ids = tok.encode(c.smiles);
      expect(ids).toHaveLength(c.tokens.length);
      expect(tok.decode(ids)).toBe(c.smiles);
    }
  });

  it('decode stops at <eos> and skips <pad> and <bos>, as Python Vocab.decode', () => {
    const c = tok.id('C')!;
    const o = tok.id('O')!;
    expect(tok.decode([tok.bos, c, tok.pad, o, tok.eos, c, c])).toBe('CO');
    expect(tok.decode([])).toBe('');
    expect(tok.decode([tok.unk, c, 9999])).toBe('<unk>C<unk>');
  });

  it.each(fixture.untokenizable)('rejects %j as untokenizable, with the position', (s) => {
    expect(() => tok.encode(s, 7)).toThrow(UntokenizableSmilesError);
    try {
      tok.tokenize(s, 7);
    } catch (e) {
      const err = e as UntokenizableSmilesError;
      expect(err.code).toBe('UNTOKENIZABLE_SMILES');
      expect(err.index).toBe(7);
      expect(err.position).toBeGreaterThan(0);
      expect(err.message).toContain('input 7');
    }
  });

  it('reports the exact position of the first gap', () => {
    expect(() => tok.tokenize('CC X')).toThrow(expect.objectContaining({ position: 2 }));
    expect(() => tok.tokenize('C[C')).toThrow(expect.objectContaining({ position: 1 }));
  });

  it('rejects the empty string and non-strings', () => {
    expect(() => tok.encode('')).toThrow(expect.objectContaining({ code: 'UNTOKENIZABLE_SMILES', position: -1 }));
    expect(() => tok.encode(undefined as unknown as string)).toThrow(UntokenizableSmilesError);
  });

  it('names the out-of-vocabulary token and its position', () => {
    const small = new SmilesTokenizer({ ...fixtureVocab(), tokens: [...SPECIAL_TOKENS, '(', ')', '1', 'C', 'O', 'c'] });
    expect(small.encode('C(O)c1ccccc1')).toHaveLength(12);
    let err: OutOfVocabularyError | undefined;
    try {
      small.encode('CC[Se]C%10', 3);
    } catch (e) {
      err = e as OutOfVocabularyError;
    }
    expect(err).toBeInstanceOf(OutOfVocabularyError);
    expect(err).toMatchObject({ code: 'OUT_OF_VOCABULARY', token: '[Se]', position: 2, index: 3, smiles: 'CC[Se]C%10' });
    expect(err!.message).toContain('"[Se]"');
  });

  it('refuses malformed vocabularies', () => {
    const v = fixtureVocab();
    expect(() => new SmilesTokenizer({ ...v, eos: 5 })).toThrow(/eos/);
    expect(() => new SmilesTokenizer({ ...v, tokens: ['<bos>', '<pad>', ...v.tokens.slice(2)] })).toThrow(/pad/);
    expect(() => new SmilesTokenizer({ ...v, tokens: [...v.tokens, 'C'] })).toThrow(/duplicate/);
    expect(() => new SmilesTokenizer({ ...v, pattern: '(' })).toThrow();
  });

  describe.each(MODEL_DIRS.filter((m) => isModelDir(m.dir)))('with the vocab.json of the $label', ({ dir }) => {
    const vocab = JSON.parse(readFileSync(path.join(dir, 'vocab.json'), 'utf8')) as VocabJson;
    const golden = JSON.parse(readFileSync(path.join(dir, 'golden.json'), 'utf8')) as { smiles: string[]; tokens: number[][] };
    const modelTok = new SmilesTokenizer(vocab);

    it('has the Python pattern', () => expect(vocab.pattern).toBe(fixture.pattern));

    it('encodes the golden SMILES to the Python token ids', () => {
      golden.smiles.forEach((s, i) => expect(modelTok.encode(s)).toEqual(golden.tokens[i]));
    });

    it('refuses %nn ring bonds when the vocabulary lacks them', () => {
      if (modelTok.id('%10') !== undefined) return;
      expect(() => modelTok.encode('C%10CC%10')).toThrow(expect.objectContaining({ token: '%10', position: 1 }));
    });
  });
});
