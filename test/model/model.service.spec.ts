import * as path from 'node:path';
import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ModelNotLoadedError, UnknownDeviceError } from '../../src/model/errors';
import { ModelModule } from '../../src/model/model.module';
import { DEFAULT_MODEL_DIR, ModelService, modelOptionsFromEnv, repoRoot } from '../../src/model/model.service';
import { isModelDir, MODEL_DIRS, readGolden, REPO_ROOT, rowsToFloat32 } from './helpers';

class CollectingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, context?: string) {
    this.lines.push(`[${context}] ${String(message)}`);
  }
  warn(message: unknown, context?: string) {
    this.lines.push(`[${context}] WARN ${String(message)}`);
  }
  error(message: unknown, context?: string) {
    this.lines.push(`[${context}] ERROR ${String(message)}`);
  }
}

describe('modelOptionsFromEnv', () => {
  it('finds the repository root', () => {
    expect(repoRoot()).toBe(REPO_ROOT);
  });

  it('defaults to models/smiles-gru-vae-v2 under the repository root, on the CPU, 512 rows per run', () => {
    expect(modelOptionsFromEnv({})).toEqual({
      modelDir: path.join(REPO_ROOT, DEFAULT_MODEL_DIR),
      device: 'cpu',
      intraOpNumThreads: undefined,
      maxBatch: 512,
      precision: 'auto',
    });
  });

  it('reads MOLNAV_MODEL_DIR (relative to the repository root, or absolute), MOLNAV_DEVICE, MOLNAV_ORT_THREADS, MOLNAV_MAX_BATCH, MOLNAV_DECODER_PRECISION', () => {
    const env = { MOLNAV_MODEL_DIR: 'models/other', MOLNAV_DEVICE: 'auto', MOLNAV_ORT_THREADS: '2', MOLNAV_MAX_BATCH: '64', MOLNAV_DECODER_PRECISION: 'fp32' };
    expect(modelOptionsFromEnv(env)).toEqual({
      modelDir: path.join(REPO_ROOT, 'models/other'), device: 'auto', intraOpNumThreads: 2, maxBatch: 64, precision: 'fp32',
    });
    expect(modelOptionsFromEnv({ MOLNAV_MODEL_DIR: '/abs/model' }).modelDir).toBe('/abs/model');
  });

  it('refuses a bad device or thread count', () => {
    expect(() => modelOptionsFromEnv({ MOLNAV_DEVICE: 'tpu' })).toThrow(UnknownDeviceError);
    expect(() => modelOptionsFromEnv({ MOLNAV_ORT_THREADS: 'two' })).toThrow(/MOLNAV_ORT_THREADS/);
    expect(() => modelOptionsFromEnv({ MOLNAV_MAX_BATCH: '0' })).toThrow(/MOLNAV_MAX_BATCH/);
    expect(() => modelOptionsFromEnv({ MOLNAV_DECODER_PRECISION: 'fp16' })).toThrow(/auto, fp32, int8.*"fp16"/);
  });
});

describe('ModelService before init', () => {
  it('throws ModelNotLoadedError', async () => {
    const service = new ModelService({ modelDir: '/nonexistent' });
    expect(() => service.latentDim).toThrow(ModelNotLoadedError);
    expect(() => service.modelVersion).toThrow(ModelNotLoadedError);
    await expect(service.decode(new Float32Array(1), 1)).rejects.toBeInstanceOf(ModelNotLoadedError);
    await expect(service.encode(['C'])).rejects.toBeInstanceOf(ModelNotLoadedError);
    await service.dispose(); // nothing to release
  });

  it('fails init with ModelLoadError for a missing directory', async () => {
    await expect(new ModelService({ modelDir: '/nonexistent' }).onModuleInit()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
  });
});

const available = MODEL_DIRS.find((m) => isModelDir(m.dir));
if (!available) {
  describe('ModelService in a Nest application context', () => {
    it.skip(`PENDING: no exported model at ${MODEL_DIRS.map((m) => m.dir).join(' or ')}`, () => undefined);
  });
} else {
  describe(`ModelService in a Nest application context (${available.label})`, () => {
    const savedEnv = process.env.MOLNAV_MODEL_DIR;
    const savedPrecision = process.env.MOLNAV_DECODER_PRECISION;

    afterEach(() => {
      if (savedEnv === undefined) delete process.env.MOLNAV_MODEL_DIR;
      else process.env.MOLNAV_MODEL_DIR = savedEnv;
      if (savedPrecision === undefined) delete process.env.MOLNAV_DECODER_PRECISION;
      else process.env.MOLNAV_DECODER_PRECISION = savedPrecision;
    });

    it('loads the directory named by MOLNAV_MODEL_DIR, logs version and execution provider, and releases on close', async () => {
      process.env.MOLNAV_MODEL_DIR = available.dir;
      // the fp32 step decodes token for token as PyTorch did for golden.json (the int8 step's parity is looser and
      // checked in onnx-parity.spec.ts)
      process.env.MOLNAV_DECODER_PRECISION = 'fp32';
      const logger = new CollectingLogger();
      const app = await NestFactory.createApplicationContext(ModelModule, { logger });
      const service = app.get(ModelService);
      let closed = false;
      try {
        const golden = readGolden(available.dir);
        expect(service.executionProvider).toBe('cpu');
        expect(service.latentDim).toBe(golden.mu[0].length);
        expect(service.maxBatch).toBe(512);
        const line = logger.lines.find((l) => l.startsWith('[ModelService] loaded model'));
        expect(line).toContain(`loaded model ${service.modelVersion} from ${available.dir} on CPU`);

        const enc = await service.encode(golden.smiles.slice(0, 2));
        expect([enc.batch, enc.dim, enc.mu.length]).toEqual([2, service.latentDim, 2 * service.latentDim]);
        const smiles = await service.decode(rowsToFloat32(golden.mu.slice(0, 2)), 2, { syntaxMask: false });
        expect(smiles).toEqual(golden.greedy_smiles_from_mu.slice(0, 2));
        const seqs = await service.decodeSequences(rowsToFloat32(golden.z_prior), golden.z_prior.length);
        expect(seqs.map((s) => s.ids)).toEqual(golden.greedy_masked_tokens_from_prior);

        await app.close();
        closed = true;
        expect(() => service.latentDim).toThrow(ModelNotLoadedError);
      } finally {
        if (!closed) await app.close();
      }
    });

    it('ModelModule.forRoot takes explicit options', async () => {
      const app = await NestFactory.createApplicationContext(
        ModelModule.forRoot({ modelDir: available.dir, device: 'cpu', intraOpNumThreads: 1, maxBatch: 8 }),
        { logger: false },
      );
      try {
        expect(app.get(ModelService).maxBatch).toBe(8);
      } finally {
        await app.close();
      }
    });
  });
}
