/**
 * Parity of the TypeScript syntax mask (src/model/syntax.ts) with the Python one (notebooks/molnav_vae/syntax.py):
 * test/fixtures/syntax-trace.json holds decodes of the shipped model under the Python mask and, before each token,
 * the set of tokens Python allowed (written by `python3 -m molnav_vae.syntax_trace`). Every step must give the same
 * set here, with the network's argmax stated per step (`wants`: none, <eos> for closing mode, or a closer).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GreedySampler } from '../../src/model/decoding';
import { Rng } from '../../src/model/rng';
import { SmilesGrammar } from '../../src/model/syntax';
import { REPO_ROOT } from './helpers';

interface Trace {
  model_version: string;
  vocab: string[];
  max_steps: number;
  sequences: { tokens: number[]; wants: number[]; allowed: string[] }[];
}

const trace = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/syntax-trace.json'), 'utf8')) as Trace;
const grammar = new SmilesGrammar(trace.vocab);
const endId = trace.vocab.indexOf('<eos>');
const ringIds = new Set(trace.vocab.map((t, i) => (/^[0-9]$/.test(t) ? i : -1)).filter((i) => i >= 0));

/** The Python bitmask (hex, bit i = token i) as the set of allowed token ids. */
function fromHex(hex: string): number[] {
  const bits = BigInt(`0x${hex}`);
  return trace.vocab.map((_, i) => i).filter((i) => (bits >> BigInt(i)) & 1n);
}

describe('syntax mask parity with Python', () => {
  it('the fixture covers the rules: aromatic systems, closing mode, failures of the Kekule tier', () => {
    const tokens = trace.sequences.flatMap((s) => s.tokens.map((t) => trace.vocab[t]));
    expect(trace.sequences.length).toBeGreaterThanOrEqual(100);
    expect(tokens.filter((t) => t === 'c').length).toBeGreaterThan(500);
    expect(tokens.filter((t) => t === '[nH]' || t === 'n').length).toBeGreaterThan(50);
    expect(trace.sequences.filter((s) => s.wants.includes(endId)).length).toBeGreaterThan(40);
    expect(trace.sequences.flatMap((s) => s.wants).filter((w) => ringIds.has(w)).length).toBeGreaterThan(500);
  });

  it('allows the same tokens as Python at every step of every sequence', () => {
    const mismatches: string[] = [];
    for (const [k, seq] of trace.sequences.entries()) {
      const state = grammar.start(trace.max_steps);
      for (const [step, tid] of seq.tokens.entries()) {
        const logits = new Float32Array(trace.vocab.length);
        if (seq.wants[step] >= 0) logits[seq.wants[step]] = 1; // the network's argmax
        state.mask(logits);
        const ts = trace.vocab.map((_, i) => i).filter((i) => logits[i] !== -Infinity);
        const py = fromHex(seq.allowed[step]);
        if (ts.join() !== py.join()) {
          const prefix = seq.tokens.slice(0, step).map((t) => trace.vocab[t]).join('');
          const only = (a: number[], b: number[]) => a.filter((i) => !b.includes(i)).map((i) => trace.vocab[i]);
          mismatches.push(`#${k} after ${prefix}: only TS ${only(ts, py).join(' ')} | only Python ${only(py, ts).join(' ')}`);
          break;
        }
        state.advance(tid);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('greedyChoice picks what mask + argmax picks and leaves the same state, at every step (random logits, the argmax put on the token taken, the network\'s wish or a random token)', () => {
    const rng = new Rng(99);
    const V = trace.vocab.length;
    let steps = 0;
    let slowPath = 0;
    const differences: string[] = [];
    for (const [k, seq] of trace.sequences.entries()) {
      const fast = grammar.start(trace.max_steps);
      const full = grammar.start(trace.max_steps);
      for (const [step, tid] of seq.tokens.entries()) {
        const logits = Float32Array.from({ length: V }, () => rng.normal());
        const favourite = [tid, seq.wants[step], rng.nextUint32() % V][step % 3];
        if (favourite >= 0) logits[favourite] = 10;
        const masked = Float32Array.from(logits);
        full.mask(masked);
        const want = new GreedySampler().select(masked);
        const row = Float32Array.from(logits);
        const got = fast.greedyChoice(row);
        if (row.some((x) => x === -Infinity)) slowPath++;
        if (got !== want) differences.push(`#${k} step ${step}: greedyChoice ${trace.vocab[got]}, mask + argmax ${trace.vocab[want]}`);
        fast.advance(tid);
        full.advance(tid);
        steps++;
      }
    }
    expect(differences).toEqual([]);
    expect(steps).toBeGreaterThan(4000);
    expect(slowPath).toBeGreaterThan(100); // the fallback (argmax refused) is exercised too
    expect(slowPath).toBeLessThan(steps); // and the fast path
  });
});
