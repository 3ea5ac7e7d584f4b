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
  mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
  writeFileSync(path.join(ROOT, `bench/out/decoding-${version}.json`), JSON.stringify(report, null, 1) + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
