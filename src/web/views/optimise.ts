/**
 * Optimise: an objective built from the scoring language (component kinds, their parameters and the enum values
 * come from the API: scoringComponents and introspection), a seed and a budget; the run is started as a background
 * job, followed live over the runProgress subscription (best score against oracle calls), cancellable, and its
 * ranked candidates are shown as a grid.
 */
import { html } from 'htm/preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import { ApiError, gql, messageOf, subscribe } from '../api';
import { ChartCanvas } from '../charts';
import { Busy, Depiction, FieldError, fmt, MOLECULE_ERROR_CODES, MoleculeInput, NumberField, PropertyList, SaveToLibrary, SelectField } from '../components';
import {
  CANCEL_RUN,
  type ComponentInfo,
  RUN_CANDIDATES,
  RUN_PROGRESS,
  RUN_STATUS,
  type RunCandidate,
  type RunProgressEvent,
  SCORING_VOCABULARY,
  START_OPTIMIZATION,
  type Vocabulary,
} from '../queries';

/** Parameters of each transform kind (TransformInput; see its description in schema.gql). */
const TRANSFORM_FIELDS: Readonly<Record<string, readonly string[]>> = {
  SIGMOID: ['low', 'high', 'k'],
  REVERSE_SIGMOID: ['low', 'high', 'k'],
  DOUBLE_SIGMOID: ['low', 'high', 'coefDiv', 'coefSi', 'coefSe'],
  GAUSSIAN: ['mu', 'sigma', 'flat'],
  STEP: ['low', 'high'],
  CLAMPED_LINEAR: ['x0', 'x1'],
};

/** Values of GaussianFlat. */
const GAUSSIAN_FLAT = ['NONE', 'BELOW', 'ABOVE'];

type ParamValue = string | boolean | string[];

/** One row of the builder: a soft component (weight, transform) or a hard constraint (min, max). */
interface Row {
  key: number;
  kind: string;
  weight: string;
  min: string;
  max: string;
  transform: string;
  transformParams: Record<string, string>;
  params: Record<string, ParamValue>;
}

let nextKey = 1;
const newRow = (kind: string): Row => ({ key: nextKey++, kind, weight: '1', min: '', max: '', transform: '', transformParams: {}, params: {} });

interface Live {
  runId: string;
  status: string;
  points: { x: number; y: number }[];
  oracleCalls: number | null;
  budget: number | null;
  generation: number | null;
  bestScore: number | null;
  cancelRequested: boolean;
  final: boolean;
  error: string | null;
}

export function OptimiseView() {
  const [vocab, setVocab] = useState<Vocabulary | null>(null);
  const [vocabError, setVocabError] = useState<string | null>(null);
  const [components, setComponents] = useState<Row[]>(() => [newRow('QED')]);
  const [constraints, setConstraints] = useState<Row[]>([]);
  const [aggregation, setAggregation] = useState('ARITHMETIC');
  const [seed, setSeed] = useState('celecoxib');
  const [minSimilarity, setMinSimilarity] = useState('0.4');
  const [budget, setBudget] = useState('100');
  const [optimizer, setOptimizer] = useState('SEP_CMAES');
  const [randomSeed, setRandomSeed] = useState('0');
  const [topK, setTopK] = useState('10');
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [live, setLive] = useState<Live | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [results, setResults] = useState<RunCandidate[] | null>(null);
  const stop = useRef<(() => void) | null>(null);

  useEffect(() => {
    gql<Vocabulary>(SCORING_VOCABULARY)
      .then(setVocab)
      .catch((err) => setVocabError(messageOf(err)));
    return () => stop.current?.();
  }, []);

  const infoOf = (kind: string) => vocab?.scoringComponents.find((c) => c.kind === kind);
  const values = (t: { enumValues: { name: string }[] } | null | undefined) => t?.enumValues.map((v) => v.name) ?? [];

  function scoringInput(): Record<string, unknown> {
    const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
    const params = (r: Row) => {
      const out: Record<string, unknown> = {};
      const info = infoOf(r.kind);
      for (const p of info?.parameters ?? []) {
        const v = r.params[p];
        if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
        if (p === 'references' && typeof v === 'string') out[p] = v.split(/\s+/).filter(Boolean);
        else out[p] = v;
      }
      return out;
    };
    return {
      aggregation,
      components: components.map((r) => {
        const c: Record<string, unknown> = { kind: r.kind, weight: num(r.weight), ...params(r) };
        if (r.transform) {
          const t: Record<string, unknown> = { kind: r.transform };
          for (const f of TRANSFORM_FIELDS[r.transform] ?? []) {
            const v = r.transformParams[f];
            if (v !== undefined && v !== '') t[f] = f === 'flat' ? v : Number(v);
          }
          c.transform = t;
        }
        return c;
      }),
      constraints: constraints.map((r) => ({ kind: r.kind, min: num(r.min), max: num(r.max), ...params(r) })),
    };
  }

  async function start(e: Event) {
    e.preventDefault();
    stop.current?.();
    setStarting(true);
    setError(null);
    setResults(null);
    setLive(null);
    try {
      const input: Record<string, unknown> = {
        scoring: scoringInput(),
        budget: Number(budget),
        optimizer,
        randomSeed: Number(randomSeed),
        topK: Number(topK),
      };
      if (seed.trim()) {
        input.seed = seed.trim();
        if (minSimilarity.trim() !== '' && Number(minSimilarity) > 0) input.constraints = { minSimilarity: Number(minSimilarity) };
      }
      const d = await gql<{ startOptimization: { runId: string; status: string } }>(START_OPTIMIZATION, { input });
      follow(d.startOptimization.runId, d.startOptimization.status, Number(budget));
    } catch (err) {
      setError(err as Error);
    } finally {
      setStarting(false);
    }
  }

  /** Follows a run over the subscription; falls back to polling run(id) every second when the WebSocket fails. */
  function follow(runId: string, status: string, budgetValue: number) {
    let state: Live = {
      runId, status, points: [], oracleCalls: 0, budget: budgetValue, generation: null, bestScore: null, cancelRequested: false, final: false, error: null,
    };
    setLive(state);
    setCancelling(false);
    let poller: ReturnType<typeof setInterval> | null = null;
    let unsubscribe: () => void = () => undefined;
    const end = () => {
      unsubscribe();
      if (poller) clearInterval(poller);
      poller = null;
    };
    const apply = (ev: Omit<RunProgressEvent, 'runId'>) => {
      if (state.final) return;
      const p = ev.progress ? (JSON.parse(ev.progress) as Record<string, number | null>) : {};
      const calls = typeof p.oracleCalls === 'number' ? p.oracleCalls : state.oracleCalls;
      const best = typeof p.bestScore === 'number' ? p.bestScore : state.bestScore;
      const points = [...state.points];
      if (calls !== null && best !== null && (points.length === 0 || points[points.length - 1].x !== calls)) points.push({ x: calls, y: best });
      state = {
        ...state, status: ev.status, oracleCalls: calls, bestScore: best, points,
        budget: typeof p.budget === 'number' ? p.budget : state.budget,
        generation: typeof p.generation === 'number' ? p.generation : state.generation,
        cancelRequested: ev.cancelRequested, final: ev.final, error: ev.error,
      };
      setLive(state);
      if (ev.final) {
        end();
        setCancelling(false);
        void loadResults(runId);
      }
    };
    const poll = () => {
      poller = setInterval(() => {
        gql<{ run: Omit<RunProgressEvent, 'runId' | 'final'> }>(RUN_STATUS, { id: runId })
          .then((d) => apply({ ...d.run, final: !['QUEUED', 'RUNNING', 'PENDING'].includes(d.run.status) }))
          .catch((err) => setError(err as Error));
      }, 1000);
    };
    unsubscribe = subscribe<{ runProgress: RunProgressEvent }>(RUN_PROGRESS, { id: runId }, {
      next: (d) => apply(d.runProgress),
      error: () => {
        if (!state.final && !poller) poll();
      },
      complete: () => undefined,
    });
    stop.current = end;
  }

  async function loadResults(runId: string) {
    try {
      const r = await gql<{ run: { candidates: RunCandidate[] } }>(RUN_CANDIDATES, { id: runId, w: 220, h: 160 });
      setResults(r.run.candidates);
    } catch (err) {
      setError(err as Error);
    }
  }

  async function cancel() {
    if (!live) return;
    setCancelling(true);
    try {
      await gql(CANCEL_RUN, { id: live.runId });
    } catch (err) {
      setError(err as Error);
      setCancelling(false);
    }
  }

  const problems = error instanceof ApiError && error.code === 'INVALID_OBJECTIVE' && Array.isArray(error.extensions.problems) ? (error.extensions.problems as string[]) : [];
  const seedError = error instanceof ApiError && MOLECULE_ERROR_CODES.has(error.code) ? error.message : null;
  const budgetError = error instanceof ApiError && error.code === 'BAD_USER_INPUT' && /budget/i.test(error.message) ? error.message : null;
  const general = problems.filter((p) => !/^(components|constraints)\[\d+\]/.test(p));
  const formError = error && !seedError && !budgetError && problems.length === 0 ? messageOf(error) : null;
  const running = live !== null && !live.final;

  const kinds = vocab?.scoringComponents ?? [];
  return html`<div class="view">
    <h1 tabindex="-1">Optimise</h1>
    <p class="lede">Search latent space for molecules that score well on an objective of the scoring language.</p>
    <${FieldError} id="vocab-error" message=${vocabError} />
    <form class="controls" onSubmit=${start} aria-label="Optimisation">
      <fieldset class="builder">
        <legend>Objective</legend>
        <${SelectField} id="opt-aggregation" label="Combine components by" value=${aggregation}
          options=${[{ value: 'ARITHMETIC', label: 'weighted arithmetic mean' }, { value: 'GEOMETRIC', label: 'weighted geometric mean' }]} onChange=${setAggregation} />
        <ol class="rows" aria-label="Components">
          ${components.map(
            (r, i) => html`<li key=${r.key}>
              <${RowEditor} id=${`comp-${r.key}`} role="component" index=${i} row=${r} kinds=${kinds} vocab=${vocab}
                problems=${problems.filter((p) => p.startsWith(`components[${i}]`))}
                onChange=${(next: Row) => setComponents(components.map((x) => (x.key === r.key ? next : x)))}
                onRemove=${components.length > 1 ? () => setComponents(components.filter((x) => x.key !== r.key)) : null} />
            </li>`,
          )}
        </ol>
        <button type="button" class="secondary" onClick=${() => setComponents([...components, newRow('QED')])}>Add component</button>
        <h3>Hard constraints</h3>
        <p class="hint">A molecule outside [min, max] of a constraint scores 0.</p>
        <ol class="rows" aria-label="Constraints">
          ${constraints.map(
            (r, i) => html`<li key=${r.key}>
              <${RowEditor} id=${`cons-${r.key}`} role="constraint" index=${i} row=${r} kinds=${kinds} vocab=${vocab}
                problems=${problems.filter((p) => p.startsWith(`constraints[${i}]`))}
                onChange=${(next: Row) => setConstraints(constraints.map((x) => (x.key === r.key ? next : x)))}
                onRemove=${() => setConstraints(constraints.filter((x) => x.key !== r.key))} />
            </li>`,
          )}
        </ol>
        <button type="button" class="secondary" onClick=${() => setConstraints([...constraints, newRow('MW')])}>Add constraint</button>
        ${general.length > 0 ? html`<ul class="field-error" role="alert">${general.map((p) => html`<li>${p}</li>`)}</ul>` : null}
      </fieldset>
      <fieldset>
        <legend>Search</legend>
        <${MoleculeInput} id="opt-seed" label="Seed molecule (optional)" value=${seed} error=${seedError}
          hint="Drug name or SMILES; empty: start from prior samples." onInput=${(v: string) => { setSeed(v); setError(null); }} />
        <div class="row">
          <${NumberField} id="opt-min-sim" label="Min. similarity to seed" value=${minSimilarity} min=${0} max=${1} step="any" onInput=${setMinSimilarity}
            hint="ECFP4 Tanimoto, 0..1 (0: none)." />
          <${NumberField} id="opt-budget" label="Budget (oracle calls)" value=${budget} min=${10} max=${10000} onInput=${setBudget} error=${budgetError}
            hint="Distinct valid molecules scored, 10..10000." />
          <${SelectField} id="opt-optimizer" label="Optimiser" value=${optimizer} options=${values(vocab?.optimizers).length ? values(vocab?.optimizers) : ['SEP_CMAES']} onChange=${setOptimizer} />
          <${NumberField} id="opt-random-seed" label="Random seed" value=${randomSeed} onInput=${setRandomSeed} />
          <${NumberField} id="opt-topk" label="Results (top K)" value=${topK} min=${1} max=${100} onInput=${setTopK} />
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit" disabled=${starting || running || !vocab}>Start optimisation</button>
        ${starting ? html`<${Busy} label="Starting" />` : null}
      </div>
      <${FieldError} id="opt-error" message=${formError} />
    </form>
    ${live ? html`<${Progress} live=${live} cancel=${cancel} cancelling=${cancelling} />` : null}
    ${results && live ? html`<${Results} runId=${live.runId} results=${results} />` : null}
  </div>`;
}

function RowEditor(props: {
  id: string;
  role: 'component' | 'constraint';
  index: number;
  row: Row;
  kinds: ComponentInfo[];
  vocab: Vocabulary | null;
  problems: string[];
  onChange: (r: Row) => void;
  onRemove: (() => void) | null;
}) {
  const { row: r, id } = props;
  const info = props.kinds.find((k) => k.kind === r.kind);
  const set = (patch: Partial<Row>) => props.onChange({ ...r, ...patch });
  const setParam = (p: string, v: ParamValue) => set({ params: { ...r.params, [p]: v } });
  const enumOf = (name: keyof Vocabulary) => ((props.vocab?.[name] ?? null) as { enumValues: { name: string }[] } | null)?.enumValues.map((v) => v.name) ?? [];
  const transforms = enumOf('transforms');
  const title = `${props.role === 'component' ? 'Component' : 'Constraint'} ${props.index + 1}`;

  const paramEditor = (p: string) => {
    const pid = `${id}-${p}`;
    const v = r.params[p];
    switch (p) {
      case 'present':
        return html`<label class="check"><input id=${pid} type="checkbox" checked=${v !== false} onChange=${(e: Event) => setParam(p, (e.currentTarget as HTMLInputElement).checked)} /> must be present (unchecked: must be absent)</label>`;
      case 'references':
        return html`<div class="field wide"><label for=${pid}>Reference SMILES (one per line)</label>
          <textarea id=${pid} rows="2" spellcheck=${false} value=${(v as string) ?? ''} onInput=${(e: Event) => setParam(p, (e.currentTarget as HTMLTextAreaElement).value)}></textarea></div>`;
      case 'fingerprint':
      case 'referenceAggregation':
      case 'formulaMean': {
        const options = enumOf(p === 'fingerprint' ? 'fingerprints' : p === 'referenceAggregation' ? 'aggregations' : 'formulaMeans');
        return html`<${SelectField} id=${pid} label=${p} value=${(v as string) ?? ''} options=${[{ value: '', label: 'default' }, ...options.map((o) => ({ value: o, label: o }))]}
          onChange=${(x: string) => setParam(p, x)} />`;
      }
      case 'alertSets': {
        const sets = enumOf('alertSets');
        const chosen = Array.isArray(v) ? v : [];
        return html`<div class="field"><label for=${pid}>Alert sets</label>
          <select id=${pid} multiple size="4" onChange=${(e: Event) => setParam(p, [...(e.currentTarget as HTMLSelectElement).selectedOptions].map((o) => o.value))}>
            ${sets.map((s) => html`<option value=${s} selected=${chosen.includes(s)}>${s}</option>`)}
          </select><p class="hint">Default: PAINS and BRENK.</p></div>`;
      }
      default:
        return html`<div class="field"><label for=${pid}>${p}</label>
          <input id=${pid} type="text" spellcheck=${false} value=${(v as string) ?? ''} onInput=${(e: Event) => setParam(p, (e.currentTarget as HTMLInputElement).value)} /></div>`;
    }
  };

  return html`<fieldset class=${`row-editor ${props.problems.length ? 'has-error' : ''}`} aria-describedby=${`${id}-problems`}>
    <legend>${title}</legend>
    <div class="row">
      <div class="field">
        <label for=${`${id}-kind`}>Kind</label>
        <select id=${`${id}-kind`} value=${r.kind} onChange=${(e: Event) => set({ kind: (e.currentTarget as HTMLSelectElement).value, params: {}, transform: '', transformParams: {} })}>
          ${props.kinds.map((k) => html`<option value=${k.kind}>${k.kind}</option>`)}
        </select>
      </div>
      ${props.role === 'component'
        ? html`<${NumberField} id=${`${id}-weight`} label="Weight" value=${r.weight} min=${0} step="any" onInput=${(x: string) => set({ weight: x })} />
            <${SelectField} id=${`${id}-transform`} label="Transform" value=${r.transform}
              options=${[{ value: '', label: info?.unitRange ? 'none (already 0..1)' : 'none (required!)' }, ...transforms.map((t) => ({ value: t, label: t }))]}
              onChange=${(x: string) => set({ transform: x, transformParams: {} })} />
            ${(TRANSFORM_FIELDS[r.transform] ?? []).map((f) =>
              f === 'flat'
                ? html`<${SelectField} id=${`${id}-t-${f}`} label="flat side" value=${r.transformParams[f] ?? 'NONE'} options=${GAUSSIAN_FLAT}
                    onChange=${(x: string) => set({ transformParams: { ...r.transformParams, [f]: x } })} />`
                : html`<${NumberField} id=${`${id}-t-${f}`} label=${f} value=${r.transformParams[f] ?? ''} step="any"
                    onInput=${(x: string) => set({ transformParams: { ...r.transformParams, [f]: x } })} />`,
            )}`
        : html`<${NumberField} id=${`${id}-min`} label=${`Min${info?.unit ? ` (${info.unit})` : ''}`} value=${r.min} step="any" onInput=${(x: string) => set({ min: x })} />
            <${NumberField} id=${`${id}-max`} label=${`Max${info?.unit ? ` (${info.unit})` : ''}`} value=${r.max} step="any" onInput=${(x: string) => set({ max: x })} />`}
      ${(info?.parameters ?? []).map(paramEditor)}
      ${props.onRemove ? html`<button type="button" class="secondary remove" onClick=${props.onRemove} aria-label=${`Remove ${title.toLowerCase()}`}>Remove</button>` : null}
    </div>
    ${info ? html`<p class="hint">${info.description}${info.unit ? ` (${info.unit})` : ''}. <span class="muted">${info.source}</span></p>` : null}
    ${props.problems.length > 0
      ? html`<ul id=${`${id}-problems`} class="field-error" role="alert">${props.problems.map((p) => html`<li>${p}</li>`)}</ul>`
      : html`<span id=${`${id}-problems`} hidden></span>`}
  </fieldset>`;
}

function Progress(props: { live: Live; cancel: () => void; cancelling: boolean }) {
  const { live } = props;
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: { datasets: [{ label: 'best score', data: live.points, borderColor: '#2a6f97', backgroundColor: '#2a6f97', pointRadius: 2, stepped: true }] },
      options: {
        maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', min: 0, max: live.budget ?? undefined, title: { display: true, text: 'oracle calls' } },
          y: { suggestedMin: 0, suggestedMax: 1, title: { display: true, text: 'best score' } },
        },
      },
    }),
    [live.points, live.budget],
  );
  const summary =
    `Run ${live.runId}: ${live.status}${live.cancelRequested && !live.final ? ' (cancelling)' : ''}; ` +
    `${live.oracleCalls ?? 0} of ${live.budget ?? '?'} oracle calls; best score ${fmt(live.bestScore, 3)}` +
    (live.generation !== null ? `; generation ${live.generation}` : '');
  return html`<section class="panel" aria-labelledby="progress-title">
    <h2 id="progress-title">Progress</h2>
    ${live.final
      ? html`<p role="status" class=${live.status === 'SUCCEEDED' ? 'ok' : 'warn'} data-status=${live.status}>${summary}${live.error ? ` — ${live.error}` : ''}</p>`
      : html`<${Busy} label=${summary} value=${live.oracleCalls} max=${live.budget} onCancel=${props.cancel} cancelling=${props.cancelling || live.cancelRequested} />`}
    <div id="opt-chart" data-points=${live.points.length}>
      <${ChartCanvas} config=${config} label="Best score so far against oracle calls" summary=${`Best score ${fmt(live.bestScore, 3)} after ${live.oracleCalls ?? 0} oracle calls.`} />
    </div>
  </section>`;
}

function Results(props: { runId: string; results: RunCandidate[] }) {
  return html`<section class="panel" aria-labelledby="results-title">
    <h2 id="results-title">Results (${props.results.length}), best first</h2>
    <ol class="grid" aria-label="Ranked candidates">
      ${props.results.map(
        (c) => html`<li class="card">
          <${Depiction} svg=${c.candidate.svg} alt=${`Rank ${c.position + 1}: ${c.candidate.canonicalSmiles}`} width=${220} height=${160} />
          <p><strong>#${c.position + 1}</strong> score ${fmt(c.score, 3)}</p>
          <p class="smiles"><code>${c.candidate.canonicalSmiles}</code></p>
          <${PropertyList} properties=${c.candidate.properties} keys=${['qed', 'sa', 'clogp', 'mw']} />
          <div class="card-actions"><a href=${`#/candidate/${c.candidate.id}?run=${encodeURIComponent(props.runId)}`}>details</a></div>
        </li>`,
      )}
    </ol>
    ${props.results.length > 0 ? html`<${SaveToLibrary} id="opt-save" runId=${props.runId} what="the results" tags=${['optimisation']} />` : null}
  </section>`;
}
