/**
 * Explore: the neighbours of a molecule as a grid ordered by similarity, and one slider per property direction of
 * the model that moves the molecule along it. Each direction's walk (both ways from the molecule) is computed once,
 * on the first move of its slider; the slider then picks the decoded point.
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, gql, isAbort, messageOf } from '../api';
import { Busy, Depiction, FieldError, fmt, MOLECULE_ERROR_CODES, MoleculeInput, NumberField, PropertyList, SaveToLibrary, Sparkline } from '../components';
import {
  type Direction,
  type MoleculePreview,
  type NeighbourResult,
  PROPERTY_DIRECTIONS,
  RUN_CANDIDATES,
  type RunCandidate,
  SAMPLE_NEIGHBOURS,
  type Traverse,
  TRAVERSE_BOTH_WAYS,
  type TraversePoint,
  WALK_DEPICTIONS,
} from '../queries';

/** The molecule being explored, as submitted. */
interface Subject {
  query: string;
  preview: MoleculePreview | null;
  seed: number;
  distance: number;
  steps: number;
  /** Increases with every submission, so the walks of an earlier one are dropped. */
  version: number;
}

export function ExploreView() {
  const [molecule, setMolecule] = useState('ibuprofen');
  const [count, setCount] = useState('12');
  const [radius, setRadius] = useState('0.35');
  const [seed, setSeed] = useState('0');
  const [distance, setDistance] = useState('4');
  const [steps, setSteps] = useState('4');
  const [preview, setPreview] = useState<MoleculePreview | null>(null);
  const [subject, setSubject] = useState<Subject | null>(null);
  const [busy, setBusy] = useState<AbortController | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [neighbours, setNeighbours] = useState<{ result: NeighbourResult; stored: RunCandidate[] } | null>(null);

  async function explore(e?: Event, query = molecule) {
    e?.preventDefault();
    const ctrl = new AbortController();
    setBusy(ctrl);
    setError(null);
    setSubject({ query: query.trim(), preview: preview && preview.input === query.trim() ? preview : null, seed: Number(seed), distance: Number(distance), steps: Number(steps), version: (subject?.version ?? 0) + 1 });
    setNeighbours(null);
    try {
      const input = { molecule: query.trim(), count: Number(count), radius: Number(radius), seed: Number(seed) };
      const d = await gql<{ sampleNeighbours: NeighbourResult }>(SAMPLE_NEIGHBOURS, { input }, ctrl.signal);
      const r = await gql<{ run: { candidates: RunCandidate[] } }>(RUN_CANDIDATES, { id: d.sampleNeighbours.runId, w: 220, h: 160 }, ctrl.signal);
      setNeighbours({ result: d.sampleNeighbours, stored: r.run.candidates });
    } catch (err) {
      if (!isAbort(err)) setError(err as Error);
    } finally {
      setBusy(null);
    }
  }

  function exploreFrom(smiles: string) {
    setMolecule(smiles);
    void explore(undefined, smiles);
    document.getElementById('explore-molecule')?.focus();
  }

  const molError = error instanceof ApiError && MOLECULE_ERROR_CODES.has(error.code) ? error.message : null;
  const formError = error && !molError ? messageOf(error) : null;

  return html`<div class="view">
    <h1 tabindex="-1">Explore</h1>
    <p class="lede">Molecules decoded around a molecule in latent space, and walks along the model's property directions.</p>
    <form class="controls" onSubmit=${explore} aria-label="Exploration">
      <${MoleculeInput} id="explore-molecule" label="Molecule" value=${molecule} required error=${molError} onPreview=${setPreview}
        onInput=${(v: string) => { setMolecule(v); setError(null); }} />
      <div class="row">
        <${NumberField} id="explore-count" label="Neighbours" value=${count} min=${1} max=${100} onInput=${setCount} />
        <${NumberField} id="explore-radius" label="Radius" value=${radius} min=${0.01} max=${5} step="any" onInput=${setRadius}
          hint="Noise standard deviation, latent units." />
        <${NumberField} id="explore-seed" label="Seed" value=${seed} onInput=${setSeed} />
        <${NumberField} id="explore-distance" label="Walk distance" value=${distance} min=${0.5} max=${20} step="any" onInput=${setDistance}
          hint="Latent units each way along a direction." />
        <${NumberField} id="explore-steps" label="Walk steps" value=${steps} min=${2} max=${50} onInput=${setSteps} hint="Points each way." />
      </div>
      <div class="actions">
        <button type="submit" disabled=${busy !== null}>Explore</button>
        ${busy ? html`<${Busy} label="Sampling neighbours" onCancel=${() => busy.abort()} />` : null}
      </div>
      <${FieldError} id="explore-error" message=${formError} />
    </form>
    ${subject ? html`<${Directions} key=${subject.version} subject=${subject} />` : null}
    ${neighbours ? html`<${NeighbourGrid} data=${neighbours} exploreFrom=${exploreFrom} />` : null}
  </div>`;
}

function NeighbourGrid(props: { data: { result: NeighbourResult; stored: RunCandidate[] }; exploreFrom: (smiles: string) => void }) {
  const { result, stored } = props.data;
  return html`<section class="panel" aria-labelledby="neighbours-title">
    <h2 id="neighbours-title">Neighbours (${result.found} of ${result.requested}), most similar first</h2>
    <p class="muted">${result.message ?? `${result.decodes} decodes.`} Run <code>${result.runId}</code>.</p>
    <ol class="grid" aria-label="Neighbours">
      ${stored.map(
        (c) => html`<li class="card">
          <${Depiction} svg=${c.candidate.svg} alt=${`Neighbour ${c.position + 1}: ${c.candidate.canonicalSmiles}`} width=${220} height=${160} />
          <p><strong>#${c.position + 1}</strong> Tanimoto ${fmt(c.score)}</p>
          <p class="smiles"><code>${c.candidate.canonicalSmiles}</code></p>
          <${PropertyList} properties=${c.candidate.properties} keys=${['qed', 'clogp', 'mw']} />
          <div class="card-actions">
            <button type="button" class="secondary" onClick=${() => props.exploreFrom(c.candidate.canonicalSmiles)}>Explore from here</button>
            <a href=${`#/candidate/${c.candidate.id}?run=${encodeURIComponent(result.runId)}`}>details</a>
          </div>
        </li>`,
      )}
    </ol>
    <${SaveToLibrary} id="explore-save" runId=${result.runId} what="the neighbours" tags=${['neighbours']} />
  </section>`;
}

function Directions(props: { subject: Subject }) {
  const [directions, setDirections] = useState<Direction[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gql<{ propertyDirections: { available: boolean; directions: Direction[] } }>(PROPERTY_DIRECTIONS)
      .then((d) => {
        if (!d.propertyDirections.available) setError('The loaded model ships no property directions (directions.json).');
        setDirections(d.propertyDirections.directions);
      })
      .catch((err) => setError(messageOf(err)));
  }, []);
  return html`<section class="panel" aria-labelledby="directions-title">
    <h2 id="directions-title">Property directions</h2>
    <p class="muted">Move a slider to walk the molecule against (left) or along (right) a direction; the walk is decoded on the first move.</p>
    <${FieldError} id="directions-error" message=${error} />
    <div class="grid directions">
      ${(directions ?? []).map((d) => html`<${DirectionSlider} key=${d.property} direction=${d} subject=${props.subject} />`)}
    </div>
  </section>`;
}

/** One point of a combined walk: offsets from -distance to +distance. */
interface WalkPoint {
  step: number;
  point: TraversePoint;
  svg: string | null;
  candidateId: string | null;
  runId: string;
}

function DirectionSlider(props: { direction: Direction; subject: Subject }) {
  const { direction: d, subject: s } = props;
  const [step, setStep] = useState(0);
  const [walk, setWalk] = useState<{ points: WalkPoint[]; startValue: number } | null>(null);
  const [loading, setLoading] = useState<AbortController | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = `dir-${d.property}`;

  async function load() {
    if (walk || loading) return;
    const ctrl = new AbortController();
    setLoading(ctrl);
    setError(null);
    try {
      const base = { molecule: s.query, property: d.property, steps: s.steps, seed: s.seed };
      const w = await gql<{ neg: Traverse; pos: Traverse }>(
        TRAVERSE_BOTH_WAYS,
        { neg: { ...base, distance: -s.distance }, pos: { ...base, distance: s.distance } },
        ctrl.signal,
      );
      type Pics = { candidates: { position: number; candidate: { id: string; canonicalSmiles: string; svg: string } }[] };
      const pics = await gql<{ neg: Pics; pos: Pics }>(WALK_DEPICTIONS, { neg: w.neg.runId, pos: w.pos.runId }, ctrl.signal);
      // A run stores each molecule once: a point that repeats an earlier one is drawn from that one's depiction.
      const stored = new Map<string, { id: string; svg: string }>();
      for (const c of [...pics.neg.candidates, ...pics.pos.candidates]) stored.set(c.candidate.canonicalSmiles, c.candidate);
      const pick = (t: Traverse, index: number, step: number): WalkPoint => {
        const point = t.points[index];
        const c = point.canonicalSmiles ? stored.get(point.canonicalSmiles) : undefined;
        return { step, point, svg: c?.svg ?? null, candidateId: c?.id ?? null, runId: t.runId };
      };
      const points: WalkPoint[] = [];
      for (let k = s.steps; k >= 1; k--) points.push(pick(w.neg, k, -k));
      for (let k = 0; k <= s.steps; k++) points.push(pick(w.pos, k, k));
      setWalk({ points, startValue: w.pos.startValue });
    } catch (err) {
      if (!isAbort(err)) setError(messageOf(err));
    } finally {
      setLoading(null);
    }
  }

  const current = walk?.points.find((p) => p.step === step) ?? null;
  const offset = (step / s.steps) * s.distance;
  const unit = d.unit ? ` ${d.unit}` : '';
  const showStart = !current && s.preview?.valid;
  return html`<div class="card direction" data-property=${d.property}>
    <h3 id=${`${id}-title`}>${d.label}</h3>
    <p class="muted">slope ${fmt(d.slope, 2)}${unit} per latent unit · held-out R² ${fmt(d.r2Heldout, 2)}</p>
    <label for=${id}>Offset along ${d.label}: <output for=${id}>${offset.toFixed(1)}</output> latent units</label>
    <input id=${id} type="range" min=${-s.steps} max=${s.steps} step="1" value=${step}
      aria-valuetext=${`${offset.toFixed(1)} latent units`} aria-describedby=${`${id}-point ${id}-error`}
      onInput=${(e: Event) => {
        setStep(Number((e.currentTarget as HTMLInputElement).value));
        void load();
      }} />
    ${loading ? html`<${Busy} label="Decoding the walk" onCancel=${() => loading.abort()} />` : null}
    <${FieldError} id=${`${id}-error`} message=${error} />
    <div id=${`${id}-point`} class="walk-point" aria-live="polite">
      ${current
        ? current.point.valid
          ? html`<${Depiction} svg=${current.svg} alt=${`${d.label} offset ${offset.toFixed(1)}: ${current.point.canonicalSmiles}`} width=${260} height=${180} />
              <p>${d.property} ${fmt(current.point.value, 2)}${unit} <span class="muted">(predicted ${fmt(current.point.predicted, 2)})</span>${' · '}Tanimoto to start ${fmt(current.point.tanimotoToStart)}</p>
              <p class="smiles"><code>${current.point.canonicalSmiles}</code>
                ${current.candidateId ? html` · <a href=${`#/candidate/${current.candidateId}?run=${encodeURIComponent(current.runId)}`}>details</a>` : null}</p>`
          : html`<div class="depiction depiction-empty">invalid decode: ${current.point.reason}</div>`
        : showStart
          ? html`<${Depiction} svg=${s.preview!.svg} alt=${`Start: ${s.preview!.canonicalSmiles}`} width=${260} height=${180} />
              <p class="muted">start molecule</p>`
          : null}
    </div>
    ${walk
      ? html`<${Sparkline} label=${`${d.property} along the walk`} values=${walk.points.map((p) => p.point.value)} digits=${2} />`
      : null}
  </div>`;
}
