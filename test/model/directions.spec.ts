/**
 * directions.json: parsing and checks (small generated fixtures), and loading beside a real model by ModelService
 * (the shipped model's files linked into a temporary directory with a generated directions.json, or none).
 */
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DIRECTIONS_FILE, parseDirections, readDirections } from '../../src/model/directions';
import { ModelLoadError } from '../../src/model/errors';
import { ModelService } from '../../src/model/model.service';
import { Rng } from '../../src/model/rng';
import { isModelDir, MODEL_DIRS, RecordingLogger } from './helpers';

/** A unit vector of length n from a seeded RNG. */
function unitVector(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  const v = Array.from({ length: n }, () => rng.normal());
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** A directions.json object for a model of the given version and latent size. */
function fixture(modelVersion: string, latentDim: number): Record<string, any> {
  const prop = (label: string, unit: string, seed: number) => ({
    label, unit, direction: unitVector(latentDim, seed), slope: 0.5 + seed, r2_heldout: 0.6, spearman_heldout: 0.75, mean: 2, std: 1.5,
  });
  return {
    model_version: modelVersion,
    latent_dim: latentDim,
    method: 'test fixture: random unit vectors',
    created: '2026-01-01T00:00:00Z',
    provenance: { generator: 'test/model/directions.spec.ts', n: 0 },
    properties: { clogp: prop('cLogP (Crippen)', '', 1), tpsa: prop('TPSA', 'Å²', 2), mw: prop('Molecular weight', 'Da', 3) },
  };
}

const EXPECT = { modelVersion: 'test-v1', latentDim: 4 };

describe('parseDirections', () => {
  it('reads every property with label, unit, unit-norm direction, slope and held-out statistics', () => {
    const raw = fixture('test-v1', 4);
    const d = parseDirections(raw, EXPECT, '/x/directions.json');
    expect(d).toMatchObject({ modelVersion: 'test-v1', latentDim: 4, method: raw.method, created: raw.created, provenance: raw.provenance });
    expect([...d.properties.keys()]).toEqual(['clogp', 'tpsa', 'mw']);
    const tpsa = d.properties.get('tpsa')!;
    expect(tpsa).toMatchObject({ property: 'tpsa', label: 'TPSA', unit: 'Å²', slope: 2.5, r2Heldout: 0.6, spearmanHeldout: 0.75, mean: 2, std: 1.5 });
    expect(Array.from(tpsa.direction)).toEqual(raw.properties.tpsa.direction);
    expect(Math.hypot(...tpsa.direction)).toBeCloseTo(1, 12);
  });

  it('accepts a norm within 1e-3 of 1 and a missing provenance', () => {
    const raw = fixture('test-v1', 4);
    raw.properties.clogp.direction = raw.properties.clogp.direction.map((x: number) => x * 1.0009);
    delete raw.provenance;
    expect(parseDirections(raw, EXPECT, 'f').provenance).toEqual({});
  });

  const broken: [string, (r: Record<string, any>) => void, RegExp][] = [
    ['another model version', (r) => (r.model_version = 'other-v2'), /model_version "other-v2" does not match the model's "test-v1"/],
    ['another latent size', (r) => (r.latent_dim = 8), /latent_dim 8 does not match the model's 4/],
    ['no properties', (r) => (r.properties = {}), /"properties" must be a non-empty object/],
    ['a direction of the wrong length', (r) => r.properties.tpsa.direction.push(0), /properties.tpsa.direction must be an array of 4 numbers, got 5/],
    ['a non-numeric direction value', (r) => (r.properties.tpsa.direction[2] = null), /properties.tpsa.direction\[2\] must be a finite number, got null/],
    ['a direction that is not unit norm', (r) => (r.properties.mw.direction = [1, 1, 0, 0]), /properties.mw.direction must have unit norm/],
    ['a non-finite slope', (r) => (r.properties.clogp.slope = 'NaN'), /properties.clogp.slope must be a finite number/],
    ['a missing held-out R²', (r) => delete r.properties.clogp.r2_heldout, /properties.clogp.r2_heldout must be a finite number/],
    ['a negative std', (r) => (r.properties.clogp.std = -1), /properties.clogp.std must be >= 0/],
    ['a missing label', (r) => delete r.properties.mw.label, /properties.mw.label must be a string/],
    ['a property key that is not an identifier', (r) => (r.properties['drop table'] = r.properties.mw), /property key "drop table" is not an identifier/],
    ['a non-object', (r) => Object.keys(r).forEach((k) => delete r[k]), /model_version undefined/],
  ];
  it.each(broken)('refuses %s with ModelLoadError naming the problem', (_what, breakIt, message) => {
    const raw = fixture('test-v1', 4);
    breakIt(raw);
    expect(() => parseDirections(raw, EXPECT, '/m/directions.json')).toThrow(ModelLoadError);
    expect(() => parseDirections(raw, EXPECT, '/m/directions.json')).toThrow(message);
  });

  it('refuses JSON that is not an object', () => {
    expect(() => parseDirections([1, 2], EXPECT, 'f')).toThrow(/must be a JSON object/);
  });
});

describe('readDirections', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'molnav-directions-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns null when the model directory has no directions.json', () => {
    expect(readDirections(dir, EXPECT)).toBeNull();
  });

  it('reads and checks the file', () => {
    writeFileSync(path.join(dir, DIRECTIONS_FILE), JSON.stringify(fixture('test-v1', 4)));
    expect(readDirections(dir, EXPECT)?.file).toBe(path.join(dir, DIRECTIONS_FILE));
  });

  it('fails with ModelLoadError on a file that is not JSON', () => {
    writeFileSync(path.join(dir, DIRECTIONS_FILE), '{"model_version": ');
    expect(() => readDirections(dir, EXPECT)).toThrow(/cannot read directions.json/);
  });
});

const shipped = MODEL_DIRS.find((m) => m.label === 'shipped model' && isModelDir(m.dir));
(shipped ? describe : describe.skip)('ModelService with and without directions.json (shipped model files)', () => {
  let dir: string;
  let service: ModelService | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'molnav-model-'));
    for (const f of readdirSync(shipped!.dir)) if (f !== DIRECTIONS_FILE) symlinkSync(path.join(shipped!.dir, f), path.join(dir, f));
  });
  afterEach(async () => {
    await service?.dispose();
    service = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function load(): Promise<{ service: ModelService; logger: RecordingLogger }> {
    const logger = new RecordingLogger();
    service = new ModelService({ modelDir: dir, logger });
    await service.onModuleInit();
    return { service, logger };
  }

  it('loads the model without directions.json: directions is null', async () => {
    const { service: s } = await load();
    expect(s.directions).toBeNull();
    expect(s.latentDim).toBe(128);
  });

  it('loads directions.json that matches the model and exposes it', async () => {
    writeFileSync(path.join(dir, DIRECTIONS_FILE), JSON.stringify(fixture('smiles-gru-vae-v2', 128)));
    const { service: s } = await load();
    expect([...s.directions!.properties.keys()]).toEqual(['clogp', 'tpsa', 'mw']);
    expect(s.directions!.properties.get('tpsa')!.direction).toHaveLength(s.latentDim);
  });

  it('refuses to start with directions.json of another latent size or model version', async () => {
    writeFileSync(path.join(dir, DIRECTIONS_FILE), JSON.stringify(fixture('smiles-gru-vae-v2', 64)));
    await expect(load()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringMatching(/latent_dim 64 does not match the model's 128/) });
    writeFileSync(path.join(dir, DIRECTIONS_FILE), JSON.stringify(fixture('smiles-gru-vae-v0', 128)));
    await expect(load()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringMatching(/model_version/) });
    expect(() => service!.latentDim).toThrow(/not loaded/);
  });
});
