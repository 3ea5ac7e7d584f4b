/**
 * A candidate's page (#/candidate/<id>?run=<runId>&library=<libraryId>): its structure and properties, and the
 * provenance of the run it came from: kind, model version, parameters, seed, and its place (position, t, score).
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { gql, isAbort, messageOf } from '../api';
import { Depiction, FieldError, fmt, PropertyList } from '../components';
import { CANDIDATE, type CandidateDetail, RUN_DETAIL, type RunDetail } from '../queries';

export function CandidateView(props: { id: string; params: URLSearchParams }) {
  const runId = props.params.get('run');
  const libraryId = props.params.get('library');
  const [candidate, setCandidate] = useState<CandidateDetail | null>(null);
  const [run, setRun] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [runError, setRunError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    setCandidate(null);
    setRun(null);
    setError(null);
    setRunError(null);
    gql<{ candidate: CandidateDetail }>(CANDIDATE, { id: props.id }, ctrl.signal)
      .then((d) => setCandidate(d.candidate))
      .catch((err) => !isAbort(err) && setError(messageOf(err)));
    if (runId) {
      gql<{ run: RunDetail }>(RUN_DETAIL, { id: runId }, ctrl.signal)
        .then((d) => setRun(d.run))
        .catch((err) => !isAbort(err) && setRunError(messageOf(err)));
    }
    return () => ctrl.abort();
  }, [props.id, runId]);

  const places = run?.candidates.filter((c) => c.candidate.id === props.id) ?? [];
  let parameters = run?.parameters ?? '';
  try {
    parameters = JSON.stringify(JSON.parse(parameters), null, 2);
  } catch {
    // shown as stored
  }
  return html`<div class="view candidate-page">
    <h1 tabindex="-1">Candidate ${props.id}</h1>
    <p>${libraryId ? html`<a href=${`#/libraries?library=${encodeURIComponent(libraryId)}`}>← back to the library</a>` : html`<a href="#/libraries">Libraries</a>`}</p>
    <${FieldError} id="candidate-error" message=${error} />
    ${candidate
      ? html`<div class="candidate-layout">
          <${Depiction} svg=${candidate.svg} alt=${`Structure of candidate ${candidate.id}: ${candidate.canonicalSmiles}`} width=${440} height=${320} />
          <section aria-labelledby="cand-props-title">
            <h2 id="cand-props-title">Properties</h2>
            <p class="smiles"><code>${candidate.canonicalSmiles}</code></p>
            <p class="muted">InChIKey ${candidate.inchiKey ?? '–'} · stored ${new Date(candidate.createdAt).toLocaleString()}</p>
            <${PropertyList} properties=${candidate.properties} />
          </section>
        </div>`
      : null}
    <section class="panel" aria-labelledby="provenance-title">
      <h2 id="provenance-title">Provenance</h2>
      ${!runId ? html`<p class="muted">This entry was added by structure, not from a run.</p>` : null}
      <${FieldError} id="run-error" message=${runError} />
      ${run
        ? html`<dl class="provenance">
              <div><dt>Run</dt><dd><code>${run.id}</code></dd></div>
              <div><dt>Kind</dt><dd>${run.kind}</dd></div>
              <div><dt>Status</dt><dd>${run.status}${run.error ? ` (${run.error})` : ''}</dd></div>
              <div><dt>Model version</dt><dd>${run.modelVersion}</dd></div>
              <div><dt>Seed</dt><dd>${run.seed ?? '–'}</dd></div>
              <div><dt>Started</dt><dd>${new Date(run.createdAt).toLocaleString()}${run.durationMs !== null ? `, ${(run.durationMs / 1000).toFixed(1)} s` : ''}</dd></div>
              ${places.map(
                (p) => html`<div><dt>Place in the run</dt><dd>position ${p.position}${p.t !== null ? `, t = ${fmt(p.t, 2)}` : ''}${p.score !== null ? `, score ${fmt(p.score, 3)}` : ''}</dd></div>`,
              )}
            </dl>
            <h3>Parameters</h3>
            <pre class="parameters">${parameters}</pre>
            ${run.stats ? html`<h3>Statistics</h3><pre class="parameters">${run.stats}</pre>` : null}`
        : null}
    </section>
  </div>`;
}
