/**
 * `npm run bench`: throughput and latency of the shipped model and service on this machine, written to
 * bench/report.md (committed) and bench/out/bench.json.
 *
 * Measures (every figure is a median of repeated runs after one warm-up):
 * - encode and decode throughput (molecules/s) at batch 1, 64 and 512: greedy with and without the syntax mask, beam
 *   search (width 5) at batch 64; decoded from the mu of real molecules (approved drugs) and from the prior N(0, I);
 *   with the served decoder step (int8 on the CPU provider) and, for comparison, the fp32 step of the same model;
 * - a 10-step interpolation between two approved drugs through NavigationService (RDKit, retries and the SQLite store
 *   included), p50 and p95 over 30 runs; and the model's share of it (encode both, SLERP, greedy decode of the 9
 *   interior points under the mask) for each step precision;
 * - peak resident memory of the process;
 * - the decoder's arithmetic per molecule (GRU step + output layer x mean decoded length) and the fraction of this
 *   CPU's matrix-product peak that greedy decoding reaches at batch 512: float32 (a 1024 x 1024 MatMul through ONNX
 *   Runtime) for the fp32 step, int8 (the same size as QuantizeLinear + MatMulIntegerToFloat) for the int8 step, both
 *   written by bench/make_matmul.py.
 *
 * Environment: MOLNAV_MODEL_DIR (default the shipped model), MOLNAV_ORT_THREADS (default 2), BENCH_QUICK=1 (fewer
 * repeats, for a smoke run).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { createSession } from '../src/model/onnx-backend';

const ROOT = path.resolve(__dirname, '..');
const QUICK = process.env.BENCH_QUICK === '1';
const THREADS = Number(process.env.MOLNAV_ORT_THREADS ?? 2);
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

/** Runs fn until `minMs` have passed (at least `minRuns` times) after one warm-up; returns per-run ms. */
async function timeRuns(fn: () => Promise<unknown>, minRuns: number, minMs: number): Promise<number[]> {
  await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < minMs) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
    sampleRss();
  }
  return times;
}

/** Operations per second (2 per multiply-add) of a 1024^3 matrix product through ONNX Runtime, float32 or int8. */
async function matmulPeakGops(kind: 'float32' | 'int8'): Promise<number> {
  const file = path.join(os.tmpdir(), `molnav-bench-matmul-${kind}.onnx`);
  const n = 1024;
  execFileSync('/usr/bin/python3', [path.join(ROOT, 'bench/make_matmul.py'), file, String(n), kind]);
  const session = await createSession(file, 'matmul', { intraOpNumThreads: THREADS, device: 'cpu' });
  const a = { type: 'float32' as const, data: Float32Array.from({ length: n * n }, (_, i) => (i % 7) / 7), dims: [n, n] };
  const b = { type: 'float32' as const, data: Float32Array.from({ length: n * n }, (_, i) => (i % 5) / 5), dims: [n, n] };
  const times = await timeRuns(() => session.run(kind === 'float32' ? { a, b } : { a }), 5, QUICK ? 500 : 3000);
  await session.dispose();
  return (2 * n ** 3) / (median(times) / 1000) / 1e9;
}

async function main(): Promise<void> {
  process.env.MOLNAV_ORT_THREADS = String(THREADS);
  process.env.DATABASE_URL = `file:${path.join(os.tmpdir(), `molnav-bench-${process.pid}.db`)}`;
  const { AppModule } = await import('../src/app.module');
  const { ModelService } = await import('../src/model/model.service');
  const { ChemService } = await import('../src/chem/chem.service');
  const { NavigationService } = await import('../src/navigation/navigation.service');
  const { Rng } = await import('../src/model/rng');
  const { loadModel } = await import('../src/model/model');
  const { interpolationPath, tGrid } = await import('../src/navigation/latent');

  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    const model = app.get(ModelService);
    const chem = app.get(ChemService);
    const nav = app.get(NavigationService);
    const vae = model.loaded; // the served model: int8 decoder step on the CPU provider (precision 'auto')
    const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
    const vaeFp32 = await loadModel(vae.dir, { precision: 'fp32', intraOpNumThreads: THREADS, logger: quiet });
    const served = vae.decoderPrecision;
    const card = JSON.parse(readFileSync(path.join(vae.dir, 'model-card.json'), 'utf8'));
    const arch = card.architecture;

    // real molecules: approved drugs the vocabulary covers, canonical, up to 100 characters
    const drugs = readFileSync(path.join(ROOT, 'src/chem/data/approved-drugs.tsv'), 'utf8')
      .split('\n').filter((l) => l && !l.startsWith('#')).slice(1).map((l) => l.split('\t')[2]);
    const smiles: string[] = [];
    for (const s of drugs) {
      const c = chem.canonical(s);
      if (!c || c.length > 100) continue;
      try {
        if (vae.tokenizeBatch([c])) smiles.push(c);
      } catch {
        /* a token outside the vocabulary */
      }
    }
    const pick = (n: number) => Array.from({ length: n }, (_, i) => smiles[i % smiles.length]);
    const minMs = QUICK ? 300 : 3000;
    const results: Record<string, unknown> = {};
    const rows: string[] = [];

    const dim = vae.latentDim;
    for (const batch of [1, 64, 512]) {
      const mols = pick(batch);
      const enc = await timeRuns(() => vae.encode(mols), 3, minMs);
      const { mu } = await vae.encode(mols);
      const prior = new Rng(7).fillNormal(new Float32Array(batch * dim));
      const entry: Record<string, number> = { encode: batch / (median(enc) / 1000) };
      for (const [name, m, z, opts] of [
        ['greedy_masked_mu', vae, mu, {}],
        ['greedy_unmasked_mu', vae, mu, { syntaxMask: false }],
        ['greedy_masked_prior', vae, prior, {}],
        ['fp32_greedy_masked_mu', vaeFp32, mu, {}],
        ['fp32_greedy_masked_prior', vaeFp32, prior, {}],
      ] as const) {
        const t = await timeRuns(() => m.decodeSequences(z, batch, opts), 3, minMs);
        entry[name] = batch / (median(t) / 1000);
      }
      if (batch === 64) {
        const t = await timeRuns(() => vae.decodeBeams(mu, batch, { beamWidth: 5 }), 2, minMs);
        entry.beam5_mu = batch / (median(t) / 1000);
      }
      results[`batch_${batch}`] = entry;
      sampleRss();
    }

    // mean decoded length (tokens incl. <eos>) of greedy decodes of real molecules, for FLOPs per molecule
    const { mu: mu512 } = await vae.encode(pick(512));
    const seqs = await vae.decodeSequences(mu512, 512);
    const meanLen = seqs.reduce((a, s) => a + s.ids.length, 0) / seqs.length;
    const inDim = arch.embed_dim + arch.latent_dim;
    const H = arch.dec_hidden;
    const L = arch.dec_layers;
    // the GRU as trained: input and recurrent products of every layer, then the output layer
    const perTokenTrained = 3 * 2 * (inDim * H + H * H) + (L - 1) * 3 * 2 * (2 * H * H) + 2 * H * arch.vocab_size;
    // the exported lean form: the first layer's input product is a table lookup plus ctx (export.py)
    const perToken = 3 * 2 * (H * H) + (L - 1) * 3 * 2 * (2 * H * H) + 2 * H * arch.vocab_size;
    const flopsPerMolecule = perToken * meanLen;
    const peak = await matmulPeakGops('float32');
    const peakInt8 = await matmulPeakGops('int8');
    const at512 = results.batch_512 as Record<string, number>;
    const attained = (at512.fp32_greedy_masked_mu * flopsPerMolecule) / 1e9;
    const attainedInt8 = (at512.greedy_masked_mu * flopsPerMolecule) / 1e9;

    // the model's share of an interpolation: encode both drugs, SLERP, greedy masked decode of the 9 interior points
    const ends = ['celecoxib', 'ibuprofen'].map((n) => chem.resolve(n).canonicalSmiles);
    const modelInterp = async (m: typeof vae) => {
      const { mu } = await m.encode(ends);
      const ts = tGrid(10);
      const zPath = interpolationPath(mu.subarray(0, dim), mu.subarray(dim, 2 * dim), ts, 'SLERP');
      return m.decode(zPath.slice(dim, (ts.length - 1) * dim), ts.length - 2);
    };
    const modelInterpMs: Record<string, number[]> = {};
    for (const [name, m] of [[served, vae], ['fp32', vaeFp32]] as const) modelInterpMs[name] = await timeRuns(() => modelInterp(m), QUICK ? 5 : 30, 0);
    await vaeFp32.dispose();

    // 10-step interpolation through the service (RDKit + retries + store)
    const interp = await timeRuns(
      () => nav.interpolate({ from: 'celecoxib', to: 'ibuprofen', steps: 10, method: 'SLERP', seed: 1 }),
      QUICK ? 5 : 30,
      0,
    );
    sampleRss();
    const report = {
      date: new Date().toISOString(),
      model: vae.metadata.modelVersion,
      machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
      ortThreads: THREADS,
      executionProvider: vae.executionProvider,
      decoderPrecision: served,
      throughput: results,
      meanDecodedTokens: meanLen,
      decoderFlopsPerTokenTrained: perTokenTrained,
      decoderFlopsPerToken: perToken,
      decoderFlopsPerMolecule: flopsPerMolecule,
      matmulPeakGflops: peak,
      matmulPeakInt8Gops: peakInt8,
      greedyBatch512Gflops: attained,
      fractionOfPeak: attained / peak,
      greedyBatch512Int8Gops: attainedInt8,
      fractionOfInt8Peak: attainedInt8 / peakInt8,
      interpolation10: { p50ms: quantile(interp, 0.5), p95ms: quantile(interp, 0.95), runs: interp.length },
      interpolation10Model: Object.fromEntries(Object.entries(modelInterpMs).map(([k, v]) => [k, { p50ms: quantile(v, 0.5), p95ms: quantile(v, 0.95), runs: v.length }])),
      peakRssMiB: peakRss / 2 ** 20,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
    };
    mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
    writeFileSync(path.join(ROOT, 'bench/out/bench.json'), JSON.stringify(report, null, 1) + '\n');
    const f = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    rows.push(
      `# Benchmark report`,
      ``,
      `Written by \`npm run bench\` (scripts/bench.ts) on ${report.date}: model \`${report.model}\`, ${report.machine},`,
      `ONNX Runtime ${report.executionProvider} execution provider with ${THREADS} intra-op threads, served decoder step: ${served}. Medians after a warm-up.`,
      ``,
      `## Throughput (molecules/s)`,
      ``,
      `Served (${served} decoder step):`,
      ``,
      `| batch | encode | greedy, syntax mask (mu of drugs) | greedy, unconstrained (mu of drugs) | greedy, syntax mask (prior) | beam 5 (mu of drugs) |`,
      `|---|---|---|---|---|---|`,
      ...[1, 64, 512].map((b) => {
        const e = results[`batch_${b}`] as Record<string, number>;
        return `| ${b} | ${f(e.encode)} | ${f(e.greedy_masked_mu)} | ${f(e.greedy_unmasked_mu)} | ${f(e.greedy_masked_prior)} | ${e.beam5_mu ? f(e.beam5_mu) : ''} |`;
      }),
      ``,
      `The same model with the fp32 decoder step (MOLNAV_DECODER_PRECISION=fp32):`,
      ``,
      `| batch | greedy, syntax mask (mu of drugs) | greedy, syntax mask (prior) |`,
      `|---|---|---|`,
      ...[1, 64, 512].map((b) => {
        const e = results[`batch_${b}`] as Record<string, number>;
        return `| ${b} | ${f(e.fp32_greedy_masked_mu)} | ${f(e.fp32_greedy_masked_prior)} |`;
      }),
      ``,
      `## Latency and memory`,
      ``,
      `| what | value |`,
      `|---|---|`,
      `| 10-step SLERP interpolation celecoxib -> ibuprofen through NavigationService (decode, RDKit, retries, SQLite store), p50 | ${f(report.interpolation10.p50ms, 1)} ms |`,
      `| same, p95 (${interp.length} runs) | ${f(report.interpolation10.p95ms, 1)} ms |`,
      ...Object.entries(report.interpolation10Model).map(([k, v]) =>
        `| its model part (encode both, SLERP, greedy masked decode of the 9 interior points), ${k} step, p50 / p95 (${v.runs} runs) | ${f(v.p50ms, 1)} / ${f(v.p95ms, 1)} ms |`),
      `| peak resident memory of the bench process | ${f(report.maxRssMiB)} MiB |`,
      ``,
      `## Decoder arithmetic`,
      ``,
      `| what | value |`,
      `|---|---|`,
      `| operations per decoded token, GRU ${H} x ${arch.dec_layers} as trained (input ${inDim}, output ${arch.vocab_size}) | ${f(perTokenTrained / 1e6, 2)} M |`,
      `| operations per decoded token, exported lean form (first layer's input product folded into ctx and a token table) | ${f(perToken / 1e6, 2)} M |`,
      `| mean greedy decode length of the drugs (tokens incl. <eos>) | ${f(meanLen, 1)} |`,
      `| operations per molecule (lean form) | ${f(flopsPerMolecule / 1e6, 1)} M |`,
      `| this CPU's float32 matrix-product peak (1024^3 MatMul through ONNX Runtime, ${THREADS} threads) | ${f(peak, 1)} GFLOP/s |`,
      `| fp32 step: greedy decoding at batch 512 (syntax mask) | ${f(attained, 1)} GFLOP/s = ${f(100 * report.fractionOfPeak, 1)}% of the float32 peak |`,
      `| this CPU's int8 matrix-product peak (1024^3 QuantizeLinear + MatMulIntegerToFloat, ${THREADS} threads) | ${f(peakInt8, 1)} GOP/s |`,
      `| int8 step: greedy decoding at batch 512 (syntax mask) | ${f(attainedInt8, 1)} GOP/s = ${f(100 * report.fractionOfInt8Peak, 1)}% of the int8 peak |`,
      ``,
    );
    writeFileSync(path.join(ROOT, 'bench/report.md'), rows.join('\n'));
    console.log(rows.join('\n'));
  } finally {
    await app.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
