import {
  decodeLatents,
  DecoderRunner,
  GenerationConfig,
  GreedySampler,
  LogitsProcessorList,
  MultinomialSampler,
  resolveGenerationConfig,
  rowSeeds,
  TemperatureLogitsWarper,
  TopKLogitsWarper,
} from '../../src/model/decoding';
import { InvalidDecodeOptionsError } from '../../src/model/errors';
import { Rng } from '../../src/model/rng';

const EOS = 2;
const C = 4;

/**
 * A fake decoder with V = 5 and one hidden unit counting steps: row r emits `C` until step z[r] and `<eos>` at step
 * z[r] (z[r] <= 0: never). Its conditioning ctx is z itself, so a step reads the right target only when ctx rows
 * follow the rows that go on decoding. It records the batch size and tokens of every step.
 */
class CountingDecoder implements DecoderRunner {
  readonly latentDim = 1;
  readonly contextDim = 1;
  readonly vocabSize = 5;
  readonly layers = 1;
  readonly hiddenSize = 1;
  readonly calls: { batch: number; tokens: number[] }[] = [];

  async init(z: Float32Array, batch: number) {
    expect(z).toHaveLength(batch);
    return { h: new Float32Array(batch), ctx: Float32Array.from(z) };
  }

  async step(z: Float32Array, tokens: BigInt64Array, h: Float32Array, batch: number) {
    expect([z.length, tokens.length, h.length]).toEqual([batch, batch, batch]);
    this.calls.push({ batch, tokens: Array.from(tokens, Number) });
    const logits = new Float32Array(batch * this.vocabSize).fill(-5);
    const hOut = new Float32Array(batch);
    for (let r = 0; r < batch; r++) {
      hOut[r] = h[r] + 1;
      logits[r * this.vocabSize + C] = 0;
      logits[r * this.vocabSize + EOS] = z[r] > 0 && hOut[r] >= z[r] ? 1 : -1;
    }
    return { logits, h: hOut };
  }
}

function config(overrides: Partial<GenerationConfig> = {}): GenerationConfig {
  return { strategy: 'greedy', temperature: 1, topK: undefined, seed: 0, maxSteps: 10, dropEndedRows: true, syntaxMask: false, bos: 1, eos: EOS, ...overrides };
}

describe('decodeLatents', () => {
  it('feeds <bos> first, stops each row at its <eos>, and exits once every row ended', async () => {
    const dec = new CountingDecoder();
    const out = await decodeLatents(dec, Float32Array.from([3, 1, 5, 2]), 4, config());
    expect(out.ids).toEqual([[C, C, EOS], [EOS], [C, C, C, C, EOS], [C, EOS]]);
    expect(out.ended).toEqual([true, true, true, true]);
    expect(out.steps).toBe(5);
    expect(dec.calls[0].tokens).toEqual([1, 1, 1, 1]);
    // dropEndedRows: only rows still decoding are run
    expect(dec.calls.map((c) => c.batch)).toEqual([4, 3, 2, 1, 1]);
  });

  it('gives the same ids with the full batch every step, feeding <eos> to ended rows as the PyTorch reference', async () => {
    const z = Float32Array.from([3, 1, 5, 2]);
    const dropped = await decodeLatents(new CountingDecoder(), z, 4, config());
    const dec = new CountingDecoder();
    const full = await decodeLatents(dec, z, 4, config({ dropEndedRows: false }));
    expect(full).toEqual(dropped);
    expect(dec.calls.map((c) => c.batch)).toEqual([4, 4, 4, 4, 4]);
    expect(dec.calls[2].tokens).toEqual([C, EOS, C, EOS]);
  });

  it('refuses to decode with the syntax mask on but no grammar', async () => {
    await expect(decodeLatents(new CountingDecoder(), Float32Array.from([1]), 1, config({ syntaxMask: true }))).rejects.toThrow(RangeError);
  });

  it('cuts rows at maxSteps and reports them as not ended', async () => {
    const out = await decodeLatents(new CountingDecoder(), Float32Array.from([0, 2]), 2, config({ maxSteps: 4 }));
    expect(out.ids).toEqual([[C, C, C, C], [C, EOS]]);
    expect(out.ended).toEqual([false, true]);
    expect(out.steps).toBe(4);
  });

  it('returns an empty result for an empty batch without running the decoder', async () => {
    const dec = new CountingDecoder();
    expect(await decodeLatents(dec, new Float32Array(0), 0, config())).toEqual({ ids: [], ended: [], steps: 0 });
    expect(dec.calls).toEqual([]);
  });

  it('does not modify z', async () => {
    const z = Float32Array.from([3, 1, 5]);
    await decodeLatents(new CountingDecoder(), z, 3, config());
    expect(Array.from(z)).toEqual([3, 1, 5]);
  });

  it('samples each row from its own seeded stream', async () => {
    const z = new Float32Array(6);
    const cfg = config({ strategy: 'sample', seed: 9, temperature: 3, maxSteps: 8 });
    const seeds = rowSeeds(9, 0, 6);
    expect(rowSeeds(9, 2, 3)).toEqual(seeds.slice(2, 5));
    const all = await decodeLatents(new CountingDecoder(), z, 6, cfg);
    expect(await decodeLatents(new CountingDecoder(), z, 6, cfg, seeds)).toEqual(all);
    // rows 2..4 decoded alone, with their seeds, come out the same
    const part = await decodeLatents(new CountingDecoder(), z.subarray(2, 5), 3, cfg, seeds.slice(2, 5));
    expect(part.ids).toEqual(all.ids.slice(2, 5));
  });

  it('samples reproducibly from a seed', async () => {
    const z = new Float32Array(16); // never ends by itself: logits favour C, then <eos> -1, others -5
    const run = (seed: number) => decodeLatents(new CountingDecoder(), z, 16, config({ strategy: 'sample', seed, temperature: 3, maxSteps: 8 }));
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
    expect(a.ids.flat().some((id) => id !== C)).toBe(true);
  });
});

describe('logits processors', () => {
  it('TemperatureLogitsWarper divides by the temperature', () => {
    const x = Float32Array.from([1, -2, 4]);
    new TemperatureLogitsWarper(2).process(x);
    expect(Array.from(x)).toEqual([0.5, -1, 2]);
  });

  it('TopKLogitsWarper keeps the k largest (and ties with the k-th)', () => {
    const x = Float32Array.from([0.1, 3, -1, 2, 2, 0]);
    new TopKLogitsWarper(2).process(x);
    expect(Array.from(x)).toEqual([-Infinity, 3, -Infinity, 2, 2, -Infinity]);
    const y = Float32Array.from([1, 2, 3]);
    new TopKLogitsWarper(10).process(y);
    expect(Array.from(y)).toEqual([1, 2, 3]);
  });

  it('LogitsProcessorList applies processors in order', () => {
    const x = Float32Array.from([4, 8, 2]);
    new LogitsProcessorList([new TopKLogitsWarper(1), new TemperatureLogitsWarper(4)]).process(x);
    expect(Array.from(x)).toEqual([-Infinity, 2, -Infinity]);
  });

  it.each([0, -1, Number.NaN, Infinity])('refuses temperature %p', (t) => {
    expect(() => new TemperatureLogitsWarper(t)).toThrow(InvalidDecodeOptionsError);
  });

  it.each([0, -3, 1.5, Number.NaN])('refuses topK %p', (k) => {
    expect(() => new TopKLogitsWarper(k)).toThrow(InvalidDecodeOptionsError);
  });
});

describe('samplers', () => {
  it('GreedySampler takes the first maximum, as torch.argmax', () => {
    expect(new GreedySampler().select(Float32Array.from([1, 5, 5, -Infinity]))).toBe(1);
  });

  it('MultinomialSampler draws with softmax probabilities and never picks -Infinity', () => {
    const sampler = new MultinomialSampler();
    const rng = new Rng(3);
    const logits = Float32Array.from([Math.log(0.5), Math.log(0.3), Math.log(0.2), -Infinity]);
    const counts = [0, 0, 0, 0];
    const n = 50_000;
    for (let i = 0; i < n; i++) counts[sampler.select(logits, rng)]++;
    expect(counts[3]).toBe(0);
    [0.5, 0.3, 0.2].forEach((p, i) => expect(Math.abs(counts[i] / n - p)).toBeLessThan(0.01));
  });
});

describe('resolveGenerationConfig', () => {
  const limits = { maxDecodeSteps: 121, bos: 1, eos: 2, randomSeed: () => 777 };

  it('fills defaults: greedy, temperature 1, all steps, no seed needed', () => {
    expect(resolveGenerationConfig(undefined, limits)).toEqual(config({ maxSteps: 121, seed: 0, syntaxMask: true }));
    expect(resolveGenerationConfig({ syntaxMask: false }, limits).syntaxMask).toBe(false);
    expect(() => resolveGenerationConfig({ syntaxMask: 'yes' as unknown as boolean }, limits)).toThrow(InvalidDecodeOptionsError);
    expect(resolveGenerationConfig({ strategy: 'sample' }, limits).seed).toBe(777);
    expect(resolveGenerationConfig({ strategy: 'sample', seed: 5, topK: 3, temperature: 0.7 }, limits)).toMatchObject({
      seed: 5,
      topK: 3,
      temperature: 0.7,
    });
  });

  it.each([
    [{ strategy: 'beam' }, 'strategy'],
    [{ temperature: 0 }, 'temperature'],
    [{ topK: 0 }, 'topK'],
    [{ maxSteps: 0 }, 'maxSteps'],
    [{ maxSteps: 122 }, 'maxSteps'],
    [{ maxSteps: 2.5 }, 'maxSteps'],
    [{ seed: -1 }, 'seed'],
    [{ seed: 2 ** 32 }, 'seed'],
    [{ seed: 0.5 }, 'seed'],
  ])('refuses %j', (opts, option) => {
    expect(() => resolveGenerationConfig(opts as never, limits)).toThrow(expect.objectContaining({ code: 'INVALID_DECODE_OPTIONS', option }));
  });
});
