/**
 * Behaviour of the loaded model (decode strategies, reproducibility, batch independence, input errors) for every
 * model directory that exists: the tiny CI model (MOLNAV_TINY_MODEL_DIR, default notebooks/work/tiny/model) and the
 * shipped model (MOLNAV_MODEL_DIR, default models/smiles-gru-vae-v2). A directory that does not exist is reported as a
 * pending (skipped) test naming it. Parity with PyTorch is in onnx-parity.spec.ts.
 */
import {
  InvalidDecodeOptionsError,
  InvalidLatentError,
  ModelLoadError,
  ModelNotLoadedError,
  OutOfVocabularyError,
  SmilesTooLongError,
  UntokenizableSmilesError,
} from '../../src/model/errors';
import { chooseDecoderStep, loadModel, SmilesVae } from '../../src/model/model';
import { readMetadata } from '../../src/model/model-files';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../src/model/rng';
import { Golden, isModelDir, maxAbsDiff, MODEL_DIRS, readGolden, RecordingLogger, rowsToFloat32, missingModel } from './helpers';

for (const { label, dir } of MODEL_DIRS) {
  if (!isModelDir(dir)) {
    describe(`${label}`, () => {
      missingModel('model behaviour', dir);
    });
    continue;
  }

  describe(`${label} (${dir})`, () => {
    let model: SmilesVae;
    let golden: Golden;
    const logger = new RecordingLogger();

    beforeAll(async () => {
      golden = readGolden(dir);
      model = await loadModel(dir, { device: 'cpu', logger });
    });

    afterAll(async () => {
      await model?.dispose();
    });

    it('loads metadata, vocabulary and the three sessions on the CPU, with the int8 decoder step by default', () => {
      const m = model.metadata;
      expect(model.executionProvider).toBe('cpu');
      expect(model.decoderPrecision).toBe('int8');
      expect(m.contextDim).toBe(3 * m.decHidden);
      expect(logger.lines.some((l) => l.level === 'log' && /decoder step int8 \(decoder_step\.int8\.onnx\): auto/.test(l.message))).toBe(true);
      expect(model.latentDim).toBe(m.latentDim);
      expect(model.latentDim).toBe(golden.mu[0].length);
      expect(model.tokenizer.size).toBe(m.vocabSize);
      expect(golden.first_step_logits[0]).toHaveLength(m.vocabSize);
      expect(m.maxDecodeSteps).toBe(m.maxLen + 1);
      expect(typeof model.modelVersion).toBe('string');
      expect(model.maxBatch).toBe(512);
    });

    describe('decode', () => {
      const batch = 24;
      let z: Float32Array;

      beforeAll(() => {
        z = new Rng(2024).fillNormal(new Float32Array(batch * model.latentDim));
        z.set(rowsToFloat32(golden.z_prior)); // first rows: the golden prior samples
      });

      it('returns one raw string per row', async () => {
        const out = await model.decode(z, batch);
        expect(out).toHaveLength(batch);
        expect(out.every((s) => typeof s === 'string')).toBe(true);
      });

      it('greedy decode of a row alone equals its decode within the batch', async () => {
        const together = await model.decodeSequences(z, batch);
        const d = model.latentDim;
        for (let i = 0; i < batch; i++) {
          const [alone] = await model.decodeSequences(z.slice(i * d, (i + 1) * d), 1);
          expect([i, alone.ids]).toEqual([i, together[i].ids]);
        }
      });

      it('gives the same greedy output when ended rows are kept in the batch', async () => {
        const dropped = await model.decodeSequences(z, batch);
        const full = await model.decodeSequences(z, batch, undefined, { dropEndedRows: false });
        expect(full).toEqual(dropped);
      });

      it('samples reproducibly: same seed same output, different seed different output', async () => {
        const opts = { strategy: 'sample' as const, seed: 17, temperature: 1 };
        const a = await model.decode(z, batch, opts);
        expect(await model.decode(z, batch, opts)).toEqual(a);
        const b = await model.decode(z, batch, { ...opts, seed: 18 });
        expect(b).toHaveLength(batch);
        expect(b).not.toEqual(a);
        const greedy = await model.decode(z, batch);
        expect(a).not.toEqual(greedy);
      });

      it('samples with top-k and temperature, and top-1 sampling equals greedy', async () => {
        const topK = await model.decode(z, batch, { strategy: 'sample', seed: 3, topK: 5, temperature: 0.8 });
        expect(topK).toHaveLength(batch);
        expect(await model.decode(z, batch, { strategy: 'sample', seed: 3, topK: 1 })).toEqual(await model.decode(z, batch));
      });

      it('a sampled row depends only on seed, row index and z (not on chunking)', async () => {
        const chunked = await loadModel(dir, { maxBatch: 5, logger: new RecordingLogger() });
        try {
          const opts = { strategy: 'sample' as const, seed: 99 };
          expect(await chunked.decode(z, batch, opts)).toEqual(await model.decode(z, batch, opts));
          expect(await chunked.decode(z, batch)).toEqual(await model.decode(z, batch));
          const enc = await model.encode(golden.smiles);
          const encChunked = await chunked.encode(golden.smiles);
          expect(maxAbsDiff([Array.from(enc.mu)], encChunked.mu)).toBeLessThan(1e-5);
        } finally {
          await chunked.dispose();
        }
      });

      it('stops at maxSteps', async () => {
        const seqs = await model.decodeSequences(z, 4, { maxSteps: 3 }).catch(() => undefined);
        expect(seqs).toBeUndefined(); // z has 24 rows, not 4
        const four = z.subarray(0, 4 * model.latentDim);
        const short = await model.decodeSequences(four, 4, { maxSteps: 3 });
        for (const s of short) expect(s.ids.length).toBeLessThanOrEqual(3);
      });

      it('decodes an empty batch to an empty list', async () => {
        expect(await model.decode(new Float32Array(0), 0)).toEqual([]);
      });

      it.each([Number.NaN, Infinity, -Infinity])('rejects z containing %p, naming row and column', async (bad) => {
        const zz = new Float32Array(3 * model.latentDim);
        zz[model.latentDim + 2] = bad;
        const err = await model.decode(zz, 3).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(InvalidLatentError);
        expect(err).toMatchObject({ code: 'INVALID_LATENT', row: 1, column: 2 });
      });

      it('rejects z of the wrong length or type', async () => {
        const d = model.latentDim;
        await expect(model.decode(new Float32Array(2 * d + 1), 2)).rejects.toBeInstanceOf(InvalidLatentError);
        await expect(model.decode(new Float32Array(2 * d), 3)).rejects.toThrow(`expected batch 3 x latentDim ${d}`);
        await expect(model.decode(new Float32Array(d), 1.5)).rejects.toBeInstanceOf(InvalidLatentError);
        await expect(model.decode(new Float64Array(d) as unknown as Float32Array, 1)).rejects.toBeInstanceOf(InvalidLatentError);
      });

      it('rejects bad options', async () => {
        const one = z.subarray(0, model.latentDim);
        await expect(model.decode(one, 1, { temperature: -1, strategy: 'sample' })).rejects.toBeInstanceOf(InvalidDecodeOptionsError);
        await expect(model.decode(one, 1, { maxSteps: model.metadata.maxDecodeSteps + 1 })).rejects.toMatchObject({ option: 'maxSteps' });
      });
    });

    describe('encode errors name the offending input', () => {
      it('untokenizable', async () => {
        await expect(model.encode(['CCO', 'C C'])).rejects.toMatchObject({ index: 1, position: 1 });
        await expect(model.encode(['CCO', 'C C'])).rejects.toBeInstanceOf(UntokenizableSmilesError);
        await expect(model.encode([''])).rejects.toMatchObject({ code: 'UNTOKENIZABLE_SMILES', index: 0 });
      });

      it('out of vocabulary', async () => {
        await expect(model.encode(['CCO', 'CC', 'C[Xe]C'])).rejects.toMatchObject({ index: 2, token: '[Xe]' });
        await expect(model.encode(['C[Xe]C'])).rejects.toBeInstanceOf(OutOfVocabularyError);
      });

      it('too long', async () => {
        const long = 'C'.repeat(model.metadata.maxLen + 1);
        const err = await model.encode(['C', long]).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(SmilesTooLongError);
        expect(err).toMatchObject({ index: 1, tokenCount: model.metadata.maxLen + 1, maxTokens: model.metadata.maxLen });
        const ok = await model.encode(['C'.repeat(model.metadata.maxLen)]);
        expect(ok.batch).toBe(1);
      });

      it('encodes an empty list to empty arrays', async () => {
        expect(await model.encode([])).toEqual({ mu: new Float32Array(0), logvar: new Float32Array(0), batch: 0, dim: model.latentDim });
      });
    });

    it('throws ModelNotLoadedError after dispose', async () => {
      const m = await loadModel(dir, { logger: new RecordingLogger() });
      await m.dispose();
      await m.dispose();
      await expect(m.encode(['CC'])).rejects.toBeInstanceOf(ModelNotLoadedError);
      await expect(m.decode(new Float32Array(m.latentDim), 1)).rejects.toBeInstanceOf(ModelNotLoadedError);
    });
  });
}

describe('chooseDecoderStep', () => {
  const dir = MODEL_DIRS.map((m) => m.dir).find(isModelDir);
  const withInt8 = dir ? readMetadata(dir) : undefined;

  (withInt8 ? it : it.skip)('auto takes int8 on the CPU when the model has it, fp32 on CUDA or without it; fp32 and int8 are obeyed', () => {
    const m = withInt8!;
    expect(chooseDecoderStep(m, 'auto', 'cpu')).toMatchObject({ precision: 'int8', file: m.files.decoder_step_int8 });
    expect(chooseDecoderStep(m, 'auto', 'cuda')).toMatchObject({ precision: 'fp32', file: m.files.decoder_step, reason: /CPU-only/ });
    expect(chooseDecoderStep(m, 'fp32', 'cpu')).toMatchObject({ precision: 'fp32', file: m.files.decoder_step });
    expect(chooseDecoderStep(m, 'int8', 'cuda')).toMatchObject({ precision: 'int8', reason: /run on the CPU/ });
    const without = { ...m, files: { ...m.files, decoder_step_int8: undefined } };
    expect(chooseDecoderStep(without, 'auto', 'cpu')).toMatchObject({ precision: 'fp32', reason: /no int8 step graph/ });
    expect(() => chooseDecoderStep(without, 'int8', 'cpu')).toThrow(ModelLoadError);
    const missingFile = { ...m, files: { ...m.files, decoder_step_int8: '/nonexistent/decoder_step.int8.onnx' } };
    expect(chooseDecoderStep(missingFile, 'auto', 'cpu').precision).toBe('fp32');
  });
});

describe('loadModel', () => {
  it('throws ModelLoadError for a missing directory', async () => {
    await expect(loadModel('/nonexistent/model-dir')).rejects.toBeInstanceOf(ModelLoadError);
  });

  it('refuses a bad maxBatch', async () => {
    await expect(loadModel('/nonexistent', { maxBatch: 0 })).rejects.toThrow(/maxBatch/);
  });

  it('refuses a model exported before the lean decoder form (step takes z), saying how to re-export it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'molnav-old-model-'));
    try {
      const meta = {
        model_version: 'old', latent_dim: 4, dec_hidden: 8, dec_layers: 1, vocab_size: 10, max_len: 5,
        files: { decoder_step: { path: 'decoder_step.onnx', inputs: ['z', 'token', 'h'], outputs: ['logits', 'h_out'] } },
      };
      writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify(meta));
      expect(() => readMetadata(dir)).toThrow(/before the lean decoder form.*--only 04/);
      meta.files.decoder_step.inputs = ['ctx', 'token', 'h'];
      writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify(meta));
      expect(() => readMetadata(dir)).toThrow(/context_dim/);
      writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify({ ...meta, context_dim: 24 }));
      expect(readMetadata(dir)).toMatchObject({ contextDim: 24, files: { decoder_step_int8: undefined } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
