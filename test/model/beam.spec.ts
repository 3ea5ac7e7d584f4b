/**
 * Beam search (src/model/beam.ts): exact behaviour on a fake decoder where greedy decoding is suboptimal, and the
 * real shipped/tiny models (beam width 1 = greedy; k distinct, ordered, valid-looking beams).
 */
import { beamSearch, BeamConfig, checkBeamOptions } from '../../src/model/beam';
import type { DecoderRunner } from '../../src/model/decoding';
import { InvalidDecodeOptionsError } from '../../src/model/errors';
import { loadModel, SmilesVae } from '../../src/model/model';
import { isModelDir, MODEL_DIRS, missingModel, readGolden, rowsToFloat32 } from './helpers';

const EOS = 2;
const A = 3;
const B = 4;

/**
 * V = 5, no hidden dynamics except the previous token: after <bos>, A has p 0.6 and B 0.4; after A, <eos> 0.3 and
 * four other tokens share the rest; after B, <eos> 0.9. Greedy takes A then <eos> (0.6 x 0.3 = 0.18); the best
 * sequence is B <eos> (0.4 x 0.9 = 0.36).
 */
class TrapDecoder implements DecoderRunner {
  readonly latentDim = 1;
  readonly contextDim = 1;
  readonly vocabSize = 5;
  readonly layers = 1;
  readonly hiddenSize = 1;
  batches: number[] = [];

  async init(_z: Float32Array, batch: number) {
    return { h: new Float32Array(batch), ctx: new Float32Array(batch) };
  }

  async step(_z: Float32Array, tokens: BigInt64Array, h: Float32Array, batch: number) {
    this.batches.push(batch);
    const logits = new Float32Array(batch * 5);
    for (let r = 0; r < batch; r++) {
      const prev = Number(tokens[r]);
      const p = prev === 1 ? [1e-9, 1e-9, 1e-9, 0.6, 0.4] : prev === A ? [0.175, 0.175, 0.3, 0.175, 0.175] : [0.025, 0.025, 0.9, 0.025, 0.025];
      p.forEach((x, v) => (logits[r * 5 + v] = Math.log(x)));
    }
    return { logits, h: Float32Array.from(h) };
  }
}

const cfg = (over: Partial<BeamConfig> = {}): BeamConfig => ({ beamWidth: 2, maxSteps: 4, lengthPenalty: 0, syntaxMask: false, bos: 1, eos: EOS, ...over });

describe('beamSearch on a fake decoder', () => {
  it('finds the sequence greedy misses, returns k beams best first with their log-probabilities', async () => {
    const [beams] = await beamSearch(new TrapDecoder(), new Float32Array(1), 1, cfg());
    expect(beams.map((b) => b.ids)).toEqual([[B, EOS], [A, EOS]]);
    expect(beams[0].logProb).toBeCloseTo(Math.log(0.4 * 0.9), 5);
    expect(beams[1].logProb).toBeCloseTo(Math.log(0.6 * 0.3), 5);
    expect(beams.every((b) => b.ended)).toBe(true);
  });

  it('with width 1 is greedy', async () => {
    const [beams] = await beamSearch(new TrapDecoder(), new Float32Array(1), 1, cfg({ beamWidth: 1 }));
    expect(beams.map((b) => b.ids)).toEqual([[A, EOS]]);
  });

  it('stops a row once its kept beams have all ended, and handles several rows in one batch', async () => {
    const dec = new TrapDecoder();
    const out = await beamSearch(dec, new Float32Array(3), 3, cfg({ maxSteps: 10 }));
    expect(out.map((r) => r[0].ids)).toEqual([[B, EOS], [B, EOS], [B, EOS]]);
    expect(dec.batches).toEqual([3, 6]); // step 1: one beam per row; step 2: two per row; then every row is done
  });

  it('reports beams cut at maxSteps as not ended', async () => {
    const [beams] = await beamSearch(new TrapDecoder(), new Float32Array(1), 1, cfg({ maxSteps: 1 }));
    expect(beams.map((b) => [b.ids, b.ended])).toEqual([[[A], false], [[B], false]]);
  });

  it('applies the GNMT length penalty to the final ranking', async () => {
    const [beams] = await beamSearch(new TrapDecoder(), new Float32Array(1), 1, cfg({ lengthPenalty: 1 }));
    expect(beams[0].score).toBeCloseTo(Math.log(0.36) / (7 / 6), 5);
  });

  it('checks its options', () => {
    expect(() => checkBeamOptions(0, 0)).toThrow(InvalidDecodeOptionsError);
    expect(() => checkBeamOptions(11, 0)).toThrow(InvalidDecodeOptionsError);
    expect(() => checkBeamOptions(2.5, 0)).toThrow(InvalidDecodeOptionsError);
    expect(() => checkBeamOptions(3, -1)).toThrow(InvalidDecodeOptionsError);
    expect(() => checkBeamOptions(3, Number.NaN)).toThrow(InvalidDecodeOptionsError);
    expect(() => checkBeamOptions(10, 0.6)).not.toThrow();
  });
});

for (const { label, dir } of MODEL_DIRS) {
  if (!isModelDir(dir)) {
    missingModel(label, dir);
    continue;
  }
  describe(`beam search on the ${label}`, () => {
    let model: SmilesVae;
    const golden = readGolden(dir);
    beforeAll(async () => {
      model = await loadModel(dir, { intraOpNumThreads: 1 });
    });
    afterAll(() => model?.dispose());

    it('with width 1 gives the greedy tokens, masked and unconstrained', async () => {
      const z = rowsToFloat32(golden.z_prior);
      const n = golden.z_prior.length;
      for (const syntaxMask of [true, false]) {
        const beams = await model.decodeBeams(z, n, { beamWidth: 1, syntaxMask });
        const greedy = await model.decodeSequences(z, n, { syntaxMask });
        expect(beams.map((r) => r[0].ids)).toEqual(greedy.map((g) => g.ids));
      }
    });

    it('returns k distinct beams per row, best first, the best at least as probable as greedy', async () => {
      const z = rowsToFloat32(golden.mu);
      const n = golden.mu.length;
      const beams = await model.decodeBeams(z, n, { beamWidth: 5 });
      const greedy = await model.decodeBeams(z, n, { beamWidth: 1 });
      expect(beams).toHaveLength(n);
      for (let r = 0; r < n; r++) {
        const row = beams[r];
        expect(row).toHaveLength(5);
        expect(new Set(row.map((b) => b.ids.join(','))).size).toBe(5);
        for (let i = 1; i < row.length; i++) expect(row[i - 1].score).toBeGreaterThanOrEqual(row[i].score);
        expect(row.every((b) => b.logProb <= 0 && Number.isFinite(b.logProb))).toBe(true);
        expect(row[0].logProb).toBeGreaterThanOrEqual(greedy[r][0].logProb - 1e-4);
      }
    });

    it('is deterministic and independent of chunking', async () => {
      const z = rowsToFloat32(golden.mu);
      const n = golden.mu.length;
      const a = await model.decodeBeams(z, n, { beamWidth: 3 });
      const small = await loadModel(dir, { intraOpNumThreads: 1, maxBatch: 4 }); // 1 row per chunk at width 3
      try {
        const b = await small.decodeBeams(z, n, { beamWidth: 3 });
        expect(b.map((r) => r.map((x) => x.ids))).toEqual(a.map((r) => r.map((x) => x.ids)));
      } finally {
        await small.dispose();
      }
    });

    it('rejects bad options with InvalidDecodeOptionsError', async () => {
      const z = new Float32Array(model.latentDim);
      await expect(model.decodeBeams(z, 1, { beamWidth: 11 })).rejects.toMatchObject({ option: 'beamWidth' });
      await expect(model.decodeBeams(z, 1, { lengthPenalty: -0.5 })).rejects.toMatchObject({ option: 'lengthPenalty' });
    });
  });
}
