/**
 * Reconstruction accuracy and prior validity of the model as the service decodes it (TypeScript, ONNX Runtime,
 * syntax-masked greedy), for each decoder step precision the model ships. The README's "served decoder step" table
 * comes from this script:
 *
 *   npx ts-node --transpile-only scripts/measure-decoding.ts [n=5000] [seed=0]
 *
 * - reconstruction: the first n molecules of the ZINC250k test split ($MOLNAV_DATA/zinc250k/split_test.smi.gz,
 *   default ../shared/data), each encoded to its posterior mean mu and decoded greedily; a hit when the decode's RDKit
 *   canonical SMILES equals the input's (both canonicalised by the service's RDKit, so the comparison does not depend
 *   on the RDKit version that prepared the split). Molecules the tokenizer cannot encode are skipped and counted.
 * - prior validity: n latents z ~ N(0, I) from the service's seeded RNG (`Rng(seed).fillNormal`), decoded greedily;
 *   valid when RDKit parses the decode (`ChemService.canonical` is not null), as the service judges it.
 * - agreement: the share of decodes that are the same string under both precisions.
 *
 * - beam search (with BEAM=k, 1..10): the same molecules and prior latents decoded with beam width k under the served
 *   precision; reconstruction by the best beam, by the first beam RDKit parses (what a caller that retries invalid
 *   beams gets) and by any of the k beams; prior validity by the best beam and by any beam.
 *
 * Model: MOLNAV_MODEL_DIR (default the shipped model). Output: a table on stdout and bench/out/decoding-<model>.json.
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ChemService } from '../src/chem/chem.service';
import { DecoderPrecision, loadModel, SmilesVae } from '../src/model/model';
import { modelOptionsFromEnv } from '../src/model/model.service';
import { Rng } from '../src/model/rng';

const ROOT = path.resolve(__dirname, '..');
const BATCH = 500;

async function decodeAll(vae: SmilesVae, z: Float32Array, rows: number): Promise<string[]> {
  const dim = vae.latentDim;
  const out: string[] = [];
  for (let i = 0; i < rows; i += BATCH) {
    const n = Math.min(BATCH, rows - i);
    out.push(...(await vae.decode(z.subarray(i * dim, (i + n) * dim), n)));
  }
  return out;
}

/** Beam-search figures (see the header) for `inputs` and their mu, and for the prior latents z. */
async function beamFigures(vae: SmilesVae, chem: ChemService, inputs: string[], mu: Float32Array, z: Float32Array, rows: number, k: number) {
  const dim = vae.latentDim;
  const chunk = Math.max(1, Math.floor(BATCH / k));
  const beamsOf = async (lat: Float32Array, count: number) => {
    const out: string[][] = [];
    for (let i = 0; i < count; i += chunk) {
      const m = Math.min(chunk, count - i);
      for (const row of await vae.decodeBeams(lat.subarray(i * dim, (i + m) * dim), m, { beamWidth: k })) out.push(row.map((b) => b.smiles));
    }
    return out;
  };
  const canon = (rows: string[][]) => rows.map((r) => r.map((x) => chem.canonical(x)));
  const mus = canon(await beamsOf(mu, inputs.length));
  const priors = canon(await beamsOf(z, rows));
  const share = (hits: number, of: number) => hits / of;
  return {
    beamWidth: k,
    reconstructionBest: share(mus.filter((r, i) => r[0] === inputs[i]).length, inputs.length),
    reconstructionFirstValid: share(mus.filter((r, i) => r.find((c) => c !== null) === inputs[i]).length, inputs.length),
    reconstructionAny: share(mus.filter((r, i) => r.includes(inputs[i])).length, inputs.length),
    priorValidityBest: share(priors.filter((r) => r[0] !== null).length, rows),
    priorValidityAny: share(priors.filter((r) => r.some((c) => c !== null)).length, rows),
  };
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 5000);
  const seed = Number(process.argv[3] ?? 0);
  const dataDir = path.resolve(process.env.MOLNAV_DATA ?? path.join(ROOT, '..', 'shared', 'data'));
  const chem = await new ChemService().init();
  const opts = modelOptionsFromEnv();
  const quiet = { log: () => undefined, warn: () => undefined, error: console.error };
  const precisions: DecoderPrecision[] = existsSync(path.join(opts.modelDir, 'decoder_step.int8.onnx')) ? ['fp32', 'int8'] : ['fp32'];
  const probe = await loadModel(opts.modelDir, { ...opts, precision: 'fp32', logger: quiet });

  // the test split, canonical, tokenizable
  const lines = gunzipSync(readFileSync(path.join(dataDir, 'zinc250k', 'split_test.smi.gz'))).toString('utf8').split('\n');
  const inputs: string[] = [];
  let skipped = 0;
  for (const line of lines) {
    if (inputs.length >= n) break;
    const s = line.trim().split(/\s+/)[0];
    if (!s) continue;
    const c = chem.canonical(s);
    if (c === null) continue;
    try {
      probe.tokenizeBatch([c]);
      inputs.push(c);
    } catch {
      skipped++;
    }
  }
  await probe.dispose();

  const beamWidth = Number(process.env.BEAM ?? 0);
  if (!Number.isInteger(beamWidth) || beamWidth < 0 || beamWidth > 10) throw new Error(`BEAM must be an integer 0..10, got ${process.env.BEAM}`);
  let beam: (Awaited<ReturnType<typeof beamFigures>> & { precision: string }) | null = null;
  const results: Record<string, { reconstruction: number; priorValidity: number; decodesMu: string[]; decodesPrior: string[] }> = {};
  for (const precision of precisions) {
    const vae = await loadModel(opts.modelDir, { ...opts, precision, logger: quiet });
    try {
      const mu = new Float32Array(inputs.length * vae.latentDim);
      for (let i = 0; i < inputs.length; i += BATCH) mu.set((await vae.encode(inputs.slice(i, i + BATCH))).mu, i * vae.latentDim);
      const decodesMu = await decodeAll(vae, mu, inputs.length);
      const hits = decodesMu.filter((d, i) => chem.canonical(d) === inputs[i]).length;
      const z = new Rng(seed).fillNormal(new Float32Array(n * vae.latentDim));
      const decodesPrior = await decodeAll(vae, z, n);
      const valid = decodesPrior.filter((d) => chem.canonical(d) !== null).length;
      results[precision] = { reconstruction: hits / inputs.length, priorValidity: valid / n, decodesMu, decodesPrior };
      if (beamWidth > 0 && precision === precisions[precisions.length - 1]) beam = { precision, ...(await beamFigures(vae, chem, inputs, mu, z, n, beamWidth)) };
    } finally {
      await vae.dispose();
    }
  }
  const same = (a: string[], b: string[]) => a.filter((x, i) => x === b[i]).length / a.length;
  const version = JSON.parse(readFileSync(path.join(opts.modelDir, 'metadata.json'), 'utf8')).model_version as string;
  console.log(`model ${version}: ${inputs.length} test molecules (${skipped} outside the vocabulary skipped), ${n} prior samples (seed ${seed}), greedy, syntax mask`);
  console.log('precision  reconstruction  prior validity');
  for (const p of precisions) console.log(`${p.padEnd(9)}  ${(100 * results[p].reconstruction).toFixed(2).padStart(13)}%  ${(100 * results[p].priorValidity).toFixed(2).padStart(13)}%`);
  const report: Record<string, unknown> = {
    model: version, n: inputs.length, skipped, seed,
    ...Object.fromEntries(precisions.map((p) => [p, { reconstruction: results[p].reconstruction, priorValidity: results[p].priorValidity }])),
  };
  if (results.int8) {
    report.sameStringMu = same(results.fp32.decodesMu, results.int8.decodesMu);
    report.sameStringPrior = same(results.fp32.decodesPrior, results.int8.decodesPrior);
    console.log(`same string fp32 vs int8: mu ${(100 * (report.sameStringMu as number)).toFixed(1)}%, prior ${(100 * (report.sameStringPrior as number)).toFixed(1)}%`);
  }
  if (beam) {
    report.beam = beam;
    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    console.log(
      `beam ${beam.beamWidth} (${beam.precision}): reconstruction best beam ${pct(beam.reconstructionBest)}, first valid beam ` +
        `${pct(beam.reconstructionFirstValid)}, any beam ${pct(beam.reconstructionAny)}; prior validity best beam ` +
        `${pct(beam.priorValidityBest)}, any beam ${pct(beam.priorValidityAny)}`,
    );
  }
  mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
  writeFileSync(path.join(ROOT, `bench/out/decoding-${version}.json`), JSON.stringify(report, null, 1) + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
