/**
 * Interpolate: two molecules (drug names or SMILES) → the decoded latent path as a strip of structures with t,
 * Tanimoto to both ends and property sparklines; the path or chosen points can be saved to a library.
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ApiError, gql, isAbort, messageOf } from '../api';
import {
  Busy,
  Depiction,
  errorMentions,
  FieldError,
  fmt,
  MOLECULE_ERROR_CODES,
  MoleculeInput,
  NumberField,
  SaveToLibrary,
  SelectField,
  Sparkline,
} from '../components';
import { INTERPOLATE, type Interpolation, PROPERTY_INFO, RUN_CANDIDATES, type RunCandidate } from '../queries';

/** Properties drawn as sparklines under the path. */
const SPARK_KEYS = ['qed', 'clogp', 'mw', 'tpsa', 'sa'] as const;

interface Result {
  interpolation: Interpolation;
  /** Stored candidates by path index (depictions, ids). */
  byIndex: Map<number, RunCandidate>;
}

export function InterpolateView() {
  const [from, setFrom] = useState('aspirin');
  const [to, setTo] = useState('ibuprofen');
  const [steps, setSteps] = useState('8');
  const [method, setMethod] = useState('SLERP');
  const [seed, setSeed] = useState('0');
  const [beams, setBeams] = useState('');
  const [busy, setBusy] = useState<AbortController | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());

  async function run(e: Event) {
    e.preventDefault();
    const ctrl = new AbortController();
    setBusy(ctrl);
    setError(null);
    try {
      const input = { from: from.trim(), to: to.trim(), steps: Number(steps), method, seed: Number(seed), beamWidth: beams ? Number(beams) : null };
      const d = await gql<{ interpolate: Interpolation }>(INTERPOLATE, { input }, ctrl.signal);
      const r = await gql<{ run: { candidates: RunCandidate[] } }>(RUN_CANDIDATES, { id: d.interpolate.runId, w: 220, h: 160 }, ctrl.signal);
      setResult({ interpolation: d.interpolate, byIndex: new Map(r.run.candidates.map((c) => [c.position, c])) });
      setChosen(new Set());
    } catch (err) {
      if (!isAbort(err)) setError(err as Error);
    } finally {
      setBusy(null);
    }
  }

  // An error about a molecule goes next to the input it names; anything else under the form.
  const molErr = error instanceof ApiError && MOLECULE_ERROR_CODES.has(error.code) ? error : null;
  const fromError = molErr && (errorMentions(molErr, from) || !errorMentions(molErr, to)) ? molErr.message : null;
  const toError = molErr && !fromError ? molErr.message : null;
  const stepsError = error instanceof ApiError && error.code === 'BAD_USER_INPUT' && /steps/i.test(error.message) ? error.message : null;
  const formError = error && !fromError && !toError && !stepsError ? messageOf(error) : null;

  const toggle = (i: number) => {
    const next = new Set(chosen);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    setChosen(next);
  };

  return html`<div class="view">
    <h1 tabindex="-1">Interpolate</h1>
    <p class="lede">The latent path between two molecules, decoded at each step and checked by RDKit.</p>
    <form class="controls" onSubmit=${run} aria-label="Interpolation">
      <div class="pair">
        <${MoleculeInput} id="interp-from" label="From" value=${from} required error=${fromError}
          onInput=${(v: string) => { setFrom(v); setError(null); }} />
        <${MoleculeInput} id="interp-to" label="To" value=${to} required error=${toError}
          onInput=${(v: string) => { setTo(v); setError(null); }} />
      </div>
      <div class="row">
        <${NumberField} id="interp-steps" label="Steps" value=${steps} min=${2} max=${50} onInput=${setSteps} error=${stepsError}
          hint="2..50 intervals; the path has steps + 1 points." />
        <${SelectField} id="interp-method" label="Method" value=${method} options=${['SLERP', 'LINEAR']} onChange=${setMethod} />
        <${SelectField} id="interp-decoding" label="Decoding" value=${beams} onChange=${setBeams}
          options=${[{ value: '', label: 'greedy' }, ...['3', '5', '10'].map((k) => ({ value: k, label: `beam search, ${k} beams` }))]} />
        <${NumberField} id="interp-seed" label="Seed" value=${seed} onInput=${setSeed} hint="Seed of the retries (same seed, same path)." />
      </div>
      <div class="actions">
        <button type="submit" disabled=${busy !== null}>Interpolate</button>
        ${busy ? html`<${Busy} label="Decoding the path" onCancel=${() => busy.abort()} />` : null}
      </div>
      <${FieldError} id="interp-error" message=${formError} />
    </form>
    ${result ? html`<${PathResult} result=${result} chosen=${chosen} toggle=${toggle} />` : null}
  </div>`;
}

function PathResult(props: { result: Result; chosen: Set<number>; toggle: (i: number) => void }) {
  const { interpolation: r, byIndex } = props.result;
  const valid = r.path.filter((p) => p.valid && byIndex.has(p.index));
  const chosen = [...props.chosen].filter((i) => byIndex.has(i)).sort((a, b) => a - b);
  const [scope, setScope] = useState<'all' | 'chosen'>('all');
  const name = (m: { name: string | null; canonicalSmiles: string | null }) => m.name ?? m.canonicalSmiles ?? '?';
  return html`<section class="panel" aria-labelledby="path-title">
    <h2 id="path-title">Path from ${name(r.from)} to ${name(r.to)}</h2>
    <p class="muted">
      ${r.distinctIntermediates} distinct valid intermediates, ${r.decodes} decodes, model ${r.modelVersion}.
      Run <code>${r.runId}</code>.
    </p>
    <ol class="strip" aria-label="Path points">
      ${r.path.map((p) => {
        const c = byIndex.get(p.index);
        const label = `Point ${p.index}, t = ${p.t.toFixed(2)}`;
        return html`<li class=${`card ${p.valid ? '' : 'invalid'}`} data-index=${p.index}>
          ${p.valid && c
            ? html`<${Depiction} svg=${c.candidate.svg} alt=${`${label}: ${p.canonicalSmiles}`} width=${220} height=${160} />`
            : html`<div class="depiction depiction-empty">${p.reason ?? 'no molecule'}</div>`}
          <p class="t">t = ${p.t.toFixed(2)} <span class="muted">${p.source.toLowerCase()}</span></p>
          <p class="sims" title="ECFP4 Tanimoto to the start and to the end">
            <abbr title="Tanimoto to the start molecule">T↔from</abbr> ${fmt(p.tanimotoToFrom)}${' · '}<abbr title="Tanimoto to the end molecule">T↔to</abbr> ${fmt(p.tanimotoToTo)}
          </p>
          ${p.canonicalSmiles ? html`<p class="smiles"><code>${p.canonicalSmiles}</code></p>` : null}
          ${c
            ? html`<div class="card-actions">
                <label><input type="checkbox" checked=${props.chosen.has(p.index)} onChange=${() => { props.toggle(p.index); setScope('chosen'); }} /> choose</label>
                <a href=${`#/candidate/${c.candidate.id}?run=${encodeURIComponent(r.runId)}`} aria-label=${`Details of point ${p.index}`}>details</a>
              </div>`
            : null}
        </li>`;
      })}
    </ol>
    <div class="sparklines">
      ${SPARK_KEYS.map((k) => {
        const info = PROPERTY_INFO.find((i) => i.key === k)!;
        return html`<${Sparkline} label=${`${info.label}${info.unit ? ` (${info.unit})` : ''}`} values=${r.path.map((p) => (p.properties ? p.properties[k] : null))} digits=${info.digits} />`;
      })}
    </div>
    <fieldset class="save-scope">
      <legend>Save to a library</legend>
      <label><input type="radio" name="interp-scope" checked=${scope === 'all'} onChange=${() => setScope('all')} /> whole path (${valid.length} molecules)</label>
      <label><input type="radio" name="interp-scope" checked=${scope === 'chosen'} onChange=${() => setScope('chosen')} /> chosen points (${chosen.length})</label>
      <${SaveToLibrary} id="interp-save" runId=${r.runId} positions=${scope === 'all' ? null : chosen}
        what=${scope === 'all' ? 'the path' : `${chosen.length} chosen points`} tags=${['interpolation']} />
    </fieldset>
  </section>`;
}
