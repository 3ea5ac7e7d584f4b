/**
 * Load and soak benchmark of the real service on loopback (`npm run bench:load`), with autocannon.
 *
 * 1. Builds nothing itself: runs `node dist/main.js` (the npm script builds first) in production mode on a fresh
 *    SQLite file (or DATABASE_URL when it is a PostgreSQL URL), with an API key created by the apikey CLI for the
 *    mutations and the rate limit off (50 clients on one key would otherwise be throttled by design).
 * 2. Load: LOAD_CONNECTIONS (50) concurrent clients for LOAD_SECONDS (60), each cycling through three named operations:
 *    `molecule` (an approved drug by name), `interpolate` (10 steps between two drugs; stores a run) and `candidates`
 *    (a page of 20 by QED). Every response is checked: an HTTP status other than 200 or a GraphQL `errors` entry counts
 *    as an error.
 * 3. Soak: SOAK_CONNECTIONS (8) clients for SOAK_SECONDS (600) with the same mix, sampling the service's resident
 *    memory (/proc/<pid>/status), V8 heap and RDKit WASM heap (/metrics) every 10 s. The WASM heap of Emscripten only
 *    grows, so a leak of RDKit objects shows as steady growth; the report gives the growth over the second half.
 *
 * Writes bench/load.md (LOAD_OUT) and bench/out/load.json; LOAD_REPORT_ONLY=1 rewrites the report from that JSON.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runApiKeyCli } from '../src/auth/cli';

const ROOT = path.resolve(__dirname, '..');
const env = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};
const LOAD_SECONDS = env('LOAD_SECONDS', 60);
const LOAD_CONNECTIONS = env('LOAD_CONNECTIONS', 50);
const SOAK_SECONDS = env('SOAK_SECONDS', 600);
const SOAK_CONNECTIONS = env('SOAK_CONNECTIONS', 8);
const OUT = path.resolve(ROOT, process.env.LOAD_OUT ?? 'bench/load.md');
const PORT = env('LOAD_PORT', 3917);

const DRUGS = ['aspirin', 'ibuprofen', 'caffeine', 'celecoxib', 'acetaminophen', 'naproxen', 'diclofenac', 'metformin', 'atenolol', 'propranolol', 'diazepam', 'lidocaine', 'omeprazole', 'sildenafil', 'imatinib', 'fluoxetine'];
const pick = () => DRUGS[Math.floor(Math.random() * DRUGS.length)];

const MOLECULE = 'query Molecule($q: String!) { molecule(query: $q) { valid canonicalSmiles properties { mw clogp qed } } }';
const INTERPOLATE = 'mutation Interpolate($a: String!, $b: String!) { interpolate(input: { from: $a, to: $b, steps: 10 }) { runId distinctIntermediates path { t valid canonicalSmiles tanimotoToFrom } } }';
const CANDIDATES = 'query Candidates { candidates(first: 20, orderBy: QED) { totalCount edges { node { id canonicalSmiles properties { qed } } } } }';

interface Tally {
  ok: number;
  graphqlErrors: number;
  httpErrors: number;
  firstErrors: string[];
}

function requests(key: string, tally: Tally): autocannon.Request[] {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  const check = (status: number, body: string) => {
    if (status !== 200) {
      tally.httpErrors++;
      if (tally.firstErrors.length < 5) tally.firstErrors.push(`HTTP ${status}: ${body.slice(0, 200)}`);
      return;
    }
    if (body.includes('"errors"')) {
      tally.graphqlErrors++;
      if (tally.firstErrors.length < 5) tally.firstErrors.push(body.slice(0, 300));
      return;
    }
    tally.ok++;
  };
  const post = (query: string, vars: () => Record<string, unknown>): autocannon.Request => ({
    method: 'POST',
    path: '/graphql',
    headers,
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ query, variables: vars() }) }),
    onResponse: (status, body) => check(status, body),
  });
  return [
    post(MOLECULE, () => ({ q: pick() })),
    post(INTERPOLATE, () => {
      const a = pick();
      let b = pick();
      while (b === a) b = pick();
      return { a, b };
    }),
    post(CANDIDATES, () => ({})),
  ];
}

async function cannon(key: string, connections: number, seconds: number): Promise<{ result: autocannon.Result; tally: Tally }> {
  const tally: Tally = { ok: 0, graphqlErrors: 0, httpErrors: 0, firstErrors: [] };
  const result = await autocannon({
    url: `http://127.0.0.1:${PORT}`,
    connections,
    duration: seconds,
    timeout: 60,
    requests: requests(key, tally),
  });
  return { result, tally };
}

async function metric(name: string): Promise<number | null> {
  const text = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.trim().split(/\s+/).pop()) : null;
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Server-side mean latency per operation from the Prometheus histogram (sum / count), ms. */
async function perOperation(): Promise<Record<string, { count: number; meanMs: number }>> {
  const text = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
  const out: Record<string, { count: number; sum: number }> = {};
  for (const l of text.split('\n')) {
    const m = /^molnav_graphql_request_duration_seconds_(sum|count)\{[^}]*operation_name="([^"]+)"[^}]*\} (\S+)/.exec(l);
    if (!m) continue;
    out[m[2]] ??= { count: 0, sum: 0 };
    out[m[2]][m[1] as 'sum' | 'count'] += Number(m[3]);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { count: v.count, meanMs: v.count ? (1000 * v.sum) / v.count : NaN }]));
}

function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function main(): Promise<void> {
  if (process.env.LOAD_REPORT_ONLY === '1') {
    // Rewrites the report from the last run's bench/out/load.json (after a change to the report's layout).
    fs.writeFileSync(OUT, markdown(JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'out', 'load.json'), 'utf8'))));
    return;
  }
  const main = path.join(ROOT, 'dist', 'main.js');
  if (!fs.existsSync(main)) throw new Error('dist/main.js not found: run `npm run build` (npm run bench:load does)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'molnav-load-'));
  const databaseUrl = /^postgres/.test(process.env.DATABASE_URL ?? '') ? (process.env.DATABASE_URL as string) : `file:${path.join(dir, 'load.db')}`;
  const lines: string[] = [];
  const code = await runApiKeyCli(['create', 'load-bench', '--scopes', 'read,write'], { out: (l) => lines.push(l), err: (l) => lines.push(l) }, { databaseUrl });
  const key = lines.find((l) => l.startsWith('mnk_'));
  if (code !== 0 || !key) throw new Error(`apikey create failed: ${lines.join('\n')}`);

  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(PORT), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, MOLNAV_RATE_LIMIT: '0', MOLNAV_RATE_LIMIT_EXPENSIVE: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () => child.exitCode === null && child.kill('SIGTERM');
  process.on('exit', stop);
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${PORT}/health/ready`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (i > 240 || child.exitCode !== null) throw new Error('service did not become ready');
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(`service ready (pid ${child.pid}); warm-up`);
    await cannon(key, 2, 5);

    console.log(`load: ${LOAD_CONNECTIONS} connections x ${LOAD_SECONDS} s`);
    const load = await cannon(key, LOAD_CONNECTIONS, LOAD_SECONDS);
    const ops = await perOperation();
    console.log(`  ${load.result.requests.total} requests, p50 ${load.result.latency.p50} ms, p99 ${load.result.latency.p99} ms, errors ${load.tally.graphqlErrors + load.tally.httpErrors}`);

    console.log(`soak: ${SOAK_CONNECTIONS} connections x ${SOAK_SECONDS} s`);
    const samples: { t: number; rss: number; heap: number | null; wasm: number | null }[] = [];
    const t0 = Date.now();
    const sample = async () => {
      samples.push({
        t: (Date.now() - t0) / 1000,
        rss: rssMiB(child.pid as number),
        heap: ((await metric('nodejs_heap_size_used_bytes')) ?? NaN) / 2 ** 20,
        wasm: ((await metric('molnav_rdkit_wasm_heap_bytes')) ?? NaN) / 2 ** 20,
      });
    };
    await sample();
    const timer = setInterval(() => void sample(), 10_000);
    const soak = await cannon(key, SOAK_CONNECTIONS, SOAK_SECONDS);
    clearInterval(timer);
    await sample();

    const half = samples.filter((s) => s.t >= SOAK_SECONDS / 2);
    const growth = (pick: (s: (typeof samples)[number]) => number | null) => {
      const ys = half.map(pick).map((v) => v ?? NaN);
      if (ys.some((v) => !Number.isFinite(v))) return NaN;
      return slope(half.map((s) => s.t), ys) * 60; // MiB per minute
    };
    const report = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      database: databaseUrl.startsWith('file:') ? 'SQLite (fresh file)' : 'PostgreSQL',
      load: {
        connections: LOAD_CONNECTIONS, seconds: LOAD_SECONDS, requests: load.result.requests.total, rps: load.result.requests.average,
        latency: { p50: load.result.latency.p50, p90: load.result.latency.p90, p99: load.result.latency.p99, max: load.result.latency.max },
        errors: load.tally.graphqlErrors + load.tally.httpErrors + load.result.errors + load.result.timeouts, tally: load.tally,
        perOperation: ops,
      },
      soak: {
        connections: SOAK_CONNECTIONS, seconds: SOAK_SECONDS, requests: soak.result.requests.total,
        latency: { p50: soak.result.latency.p50, p99: soak.result.latency.p99 },
        errors: soak.tally.graphqlErrors + soak.tally.httpErrors + soak.result.errors + soak.result.timeouts, tally: soak.tally,
        samples, growthMiBPerMinSecondHalf: { rss: growth((s) => s.rss), v8Heap: growth((s) => s.heap), wasmHeap: growth((s) => s.wasm) },
      },
    };
    fs.mkdirSync(path.join(ROOT, 'bench', 'out'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench', 'out', 'load.json'), JSON.stringify(report, null, 2));
    fs.writeFileSync(OUT, markdown(report));
    console.log(`wrote ${path.relative(ROOT, OUT)}`);
  } finally {
    stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function markdown(r: any): string {
  const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  // The first sample of each minute, and the last one when it starts no new minute row of its own.
  const minute = (r.soak.samples as any[]).filter((s, i, all) => i === 0 || Math.floor(s.t / 60) !== Math.floor(all[i - 1].t / 60));
  const last = r.soak.samples[r.soak.samples.length - 1];
  if (minute[minute.length - 1] !== last && Math.round(last.t) !== Math.round(minute[minute.length - 1].t)) minute.push(last);
  return [
    '# Load and soak (`npm run bench:load`)',
    '',
    `Generated ${r.date} on ${r.machine}; service \`node dist/main.js\` in production mode on loopback, ${r.database},`,
    'API key on every request, rate limit off. Each client cycles through three named operations: `molecule` (an approved',
    'drug by name), `interpolate` (10 steps between two drugs; stores a run and its candidates), `candidates` (20 by QED).',
    'An error is an HTTP status other than 200, a GraphQL `errors` entry, a socket error or a timeout (60 s).',
    '',
    '## Load',
    '',
    `| clients | duration | requests | req/s | p50 | p90 | p99 | max | errors |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
    `| ${r.load.connections} | ${r.load.seconds} s | ${r.load.requests} | ${f(r.load.rps)} | ${r.load.latency.p50} ms | ${r.load.latency.p90} ms | ${r.load.latency.p99} ms | ${r.load.latency.max} ms | ${r.load.errors} |`,
    '',
    'Server-side mean latency per operation over the load phase (Prometheus histogram sum / count):',
    '',
    '| operation | requests | mean |',
    '| --- | --- | --- |',
    ...Object.entries(r.load.perOperation as Record<string, { count: number; meanMs: number }>).map(([k, v]) => `| ${k} | ${v.count} | ${f(v.meanMs)} ms |`),
    '',
    '## Soak',
    '',
    `${r.soak.connections} clients for ${r.soak.seconds} s: ${r.soak.requests} requests, p50 ${r.soak.latency.p50} ms, p99 ${r.soak.latency.p99} ms, ${r.soak.errors} errors.`,
    '',
    '| t | RSS | V8 heap used | RDKit WASM heap |',
    '| --- | --- | --- | --- |',
    ...minute.map((s: any) => `| ${f(s.t, 0)} s | ${f(s.rss)} MiB | ${f(s.heap)} MiB | ${f(s.wasm)} MiB |`),
    '',
    `Growth over the second half (least-squares slope): RSS ${f(r.soak.growthMiBPerMinSecondHalf.rss, 2)} MiB/min, V8 heap ${f(r.soak.growthMiBPerMinSecondHalf.v8Heap, 2)} MiB/min, RDKit WASM heap ${f(r.soak.growthMiBPerMinSecondHalf.wasmHeap, 2)} MiB/min.`,
    'Emscripten\'s heap never shrinks, so RDKit molecules that were not deleted would show as a steady WASM-heap growth.',
    '',
  ].join('\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
