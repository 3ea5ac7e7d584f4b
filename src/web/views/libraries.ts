/**
 * Libraries: the entries of a library as a grid of depictions with property-range, substructure (matches
 * highlighted), similarity and tag filters, sorting, paging, CSV/SDF export, a histogram of one property and a
 * scatter plot of two.
 */
import { html } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import { ApiError, authHeaders, gql, isAbort, messageOf, serviceUrl } from '../api';
import { ChartCanvas, histogram } from '../charts';
import { Busy, Depiction, FieldError, fmt, LIBRARIES_CHANGED, PropertyList, SelectField, useLibraries } from '../components';
import {
  CREATE_LIBRARY,
  type EntryPage,
  type Library,
  LIBRARY_ENTRIES,
  LIBRARY_PLOT_DATA,
  type PlotPage,
  type Properties,
  PROPERTY_INFO,
} from '../queries';

/** Entries read for the plots (pages of 200). */
const PLOT_LIMIT = 1000;

/** Range filters offered: the properties, and the entry score. */
const RANGE_KEYS: readonly { key: string; label: string }[] = [
  ...PROPERTY_INFO.map((p) => ({ key: p.key as string, label: `${p.label}${p.unit ? ` (${p.unit})` : ''}` })),
  { key: 'score', label: 'Score' },
];

interface Filters {
  ranges: Record<string, { min: string; max: string }>;
  substructure: string;
  similarTo: string;
  threshold: string;
  tags: string;
  orderBy: string;
  direction: string;
  pageSize: number;
}

const EMPTY_FILTERS: Filters = { ranges: {}, substructure: '', similarTo: '', threshold: '0.3', tags: '', orderBy: '', direction: 'DESC', pageSize: 24 };

/** The LibraryEntryFilterInput of the form (null when nothing is set). */
function filterInput(f: Filters): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [key, r] of Object.entries(f.ranges)) {
    const min = r.min.trim() === '' ? undefined : Number(r.min);
    const max = r.max.trim() === '' ? undefined : Number(r.max);
    if (min !== undefined || max !== undefined) out[key] = { min, max };
  }
  if (f.substructure.trim()) out.substructure = f.substructure.trim();
  if (f.similarTo.trim()) out.similarTo = { smiles: f.similarTo.trim(), threshold: Number(f.threshold || 0) };
  const tags = f.tags.split(/[\s,]+/).filter(Boolean);
  if (tags.length > 0) out.tags = tags;
  return Object.keys(out).length > 0 ? out : null;
}

export function LibrariesView(props: { params: URLSearchParams; active: boolean }) {
  const { libraries, error: listError, reload } = useLibraries();
  const wanted = props.params.get('library');
  const [selected, setSelected] = useState<string | null>(wanted);
  useEffect(() => {
    if (wanted) setSelected(wanted);
  }, [wanted]);
  useEffect(() => {
    if (props.active) reload();
  }, [props.active]);
  const library = libraries.find((l) => l.id === selected) ?? (selected ? null : libraries[0] ?? null);

  return html`<div class="view">
    <h1 tabindex="-1">Libraries</h1>
    <p class="lede">Curated collections of stored candidates: filter, search, sort, plot and export them.</p>
    <div class="libraries-layout">
      <nav class="library-list" aria-label="Libraries">
        <h2>Libraries</h2>
        <${FieldError} id="libraries-error" message=${listError} />
        ${libraries.length === 0 ? html`<p class="muted">No library yet: save molecules from the other views, or create one.</p>` : null}
        <ul>
          ${libraries.map(
            (l) => html`<li>
              <a href=${`#/libraries?library=${encodeURIComponent(l.id)}`} aria-current=${library?.id === l.id ? 'true' : undefined}
                onClick=${() => setSelected(l.id)}>${l.name}</a> <span class="muted">${l.entryCount}</span>
            </li>`,
          )}
        </ul>
        <${CreateLibrary} onCreated=${(l: Library) => { setSelected(l.id); location.hash = `#/libraries?library=${encodeURIComponent(l.id)}`; }} />
      </nav>
      ${library ? html`<${LibraryBrowser} key=${library.id} library=${library} />` : null}
    </div>
  </div>`;
}

function CreateLibrary(props: { onCreated: (l: Library) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function create(e: Event) {
    e.preventDefault();
    setError(null);
    try {
      const d = await gql<{ createLibrary: Library }>(CREATE_LIBRARY, { input: { name: name.trim(), description: description.trim() || undefined } });
      setName('');
      setDescription('');
      window.dispatchEvent(new Event(LIBRARIES_CHANGED));
      props.onCreated(d.createLibrary);
    } catch (err) {
      setError(messageOf(err));
    }
  }
  return html`<form class="create-library" onSubmit=${create} aria-label="New library">
    <h3>New library</h3>
    <div class="field"><label for="new-library-name">Name</label>
      <input id="new-library-name" type="text" required maxlength="100" value=${name} aria-describedby="new-library-error"
        onInput=${(e: Event) => setName((e.currentTarget as HTMLInputElement).value)} /></div>
    <div class="field"><label for="new-library-description">Description</label>
      <input id="new-library-description" type="text" maxlength="2000" value=${description}
        onInput=${(e: Event) => setDescription((e.currentTarget as HTMLInputElement).value)} /></div>
    <button type="submit" class="secondary">Create</button>
    <${FieldError} id="new-library-error" message=${error} />
  </form>`;
}

function LibraryBrowser(props: { library: Library }) {
  const lib = props.library;
  const [draft, setDraft] = useState<Filters>(EMPTY_FILTERS);
  const [applied, setApplied] = useState<Filters>(EMPTY_FILTERS);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<EntryPage | null>(null);
  const [loading, setLoading] = useState<AbortController | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    window.addEventListener(LIBRARIES_CHANGED, bump);
    return () => window.removeEventListener(LIBRARIES_CHANGED, bump);
  }, []);

  const filter = useMemo(() => filterInput(applied), [applied]);
  const after = cursors[cursors.length - 1];
  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(ctrl);
    const vars = {
      lib: lib.id,
      first: applied.pageSize,
      after,
      filter,
      orderBy: applied.orderBy || null,
      direction: applied.direction,
      highlight: applied.substructure.trim() || null,
    };
    gql<{ libraryEntries: EntryPage }>(LIBRARY_ENTRIES, vars, ctrl.signal)
      .then((d) => {
        setPage(d.libraryEntries);
        setError(null);
      })
      .catch((err) => {
        if (isAbort(err)) return;
        setError(err as Error);
        setPage(null);
      })
      .finally(() => setLoading((c) => (c === ctrl ? null : c)));
    return () => ctrl.abort();
  }, [lib.id, filter, applied.orderBy, applied.direction, applied.pageSize, after, version]);

  function apply(e: Event) {
    e.preventDefault();
    setApplied(draft);
    setCursors([null]);
  }
  function reset() {
    setDraft(EMPTY_FILTERS);
    setApplied(EMPTY_FILTERS);
    setCursors([null]);
  }

  const code = error instanceof ApiError ? error.code : null;
  const substructureError = code === 'INVALID_SMARTS' ? error!.message : null;
  const similarityError = code === 'INVALID_SMILES' || code === 'UNKNOWN_MOLECULE_NAME' ? error!.message : null;
  const formError = error && !substructureError && !similarityError ? messageOf(error) : null;
  const setRange = (key: string, side: 'min' | 'max', v: string) =>
    setDraft({ ...draft, ranges: { ...draft.ranges, [key]: { ...(draft.ranges[key] ?? { min: '', max: '' }), [side]: v } } });

  const exportUrl = (format: 'csv' | 'sdf') => {
    const q = new URLSearchParams({ format });
    if (filter) q.set('filter', JSON.stringify(filter));
    if (applied.orderBy) q.set('orderBy', applied.orderBy);
    q.set('direction', applied.direction);
    return serviceUrl(`libraries/${encodeURIComponent(lib.id)}/export?${q.toString()}`);
  };
  const pageNo = cursors.length;
  const from = page && page.totalCount > 0 ? (pageNo - 1) * applied.pageSize + 1 : 0;
  const to = page ? from + page.edges.length - (page.edges.length > 0 ? 1 : 0) : 0;

  return html`<section class="library" aria-labelledby="library-title">
    <h2 id="library-title">${lib.name}</h2>
    ${lib.description ? html`<p class="muted">${lib.description}</p>` : null}
    <form class="filters" onSubmit=${apply} aria-label="Filters">
      <details>
        <summary>Property ranges</summary>
        <div class="ranges">
          ${RANGE_KEYS.map(
            (r) => html`<fieldset class="range">
              <legend>${r.label}</legend>
              <label for=${`range-${r.key}-min`} class="sr-only">${r.label} minimum</label>
              <input id=${`range-${r.key}-min`} type="number" step="any" placeholder="min" value=${draft.ranges[r.key]?.min ?? ''}
                onInput=${(e: Event) => setRange(r.key, 'min', (e.currentTarget as HTMLInputElement).value)} />
              <label for=${`range-${r.key}-max`} class="sr-only">${r.label} maximum</label>
              <input id=${`range-${r.key}-max`} type="number" step="any" placeholder="max" value=${draft.ranges[r.key]?.max ?? ''}
                onInput=${(e: Event) => setRange(r.key, 'max', (e.currentTarget as HTMLInputElement).value)} />
            </fieldset>`,
          )}
        </div>
      </details>
      <div class="row">
        <div class="field">
          <label for="lib-substructure">Substructure (SMARTS)</label>
          <input id="lib-substructure" type="text" spellcheck=${false} value=${draft.substructure} placeholder="e.g. c1ccccc1C(=O)O"
            aria-invalid=${substructureError ? 'true' : 'false'} aria-describedby="lib-substructure-hint lib-substructure-error"
            onInput=${(e: Event) => setDraft({ ...draft, substructure: (e.currentTarget as HTMLInputElement).value })} />
          <p id="lib-substructure-hint" class="hint">Matches are highlighted in the depictions.</p>
          <${FieldError} id="lib-substructure-error" message=${substructureError} />
        </div>
        <div class="field">
          <label for="lib-similar">Similar to (name or SMILES)</label>
          <input id="lib-similar" type="text" spellcheck=${false} value=${draft.similarTo}
            aria-invalid=${similarityError ? 'true' : 'false'} aria-describedby="lib-similar-error"
            onInput=${(e: Event) => setDraft({ ...draft, similarTo: (e.currentTarget as HTMLInputElement).value })} />
          <${FieldError} id="lib-similar-error" message=${similarityError} />
        </div>
        <div class="field">
          <label for="lib-threshold">Min. Tanimoto</label>
          <input id="lib-threshold" type="number" min="0" max="1" step="any" value=${draft.threshold}
            onInput=${(e: Event) => setDraft({ ...draft, threshold: (e.currentTarget as HTMLInputElement).value })} />
        </div>
        <div class="field">
          <label for="lib-tags">Tags (all of)</label>
          <input id="lib-tags" type="text" value=${draft.tags} onInput=${(e: Event) => setDraft({ ...draft, tags: (e.currentTarget as HTMLInputElement).value })} />
        </div>
      </div>
      <div class="row">
        <${SelectField} id="lib-order" label="Sort by" value=${draft.orderBy}
          options=${[
            { value: '', label: 'default (similarity, else newest)' },
            { value: 'ADDED_AT', label: 'added' },
            { value: 'SCORE', label: 'score' },
            { value: 'SIMILARITY', label: 'similarity' },
            ...PROPERTY_INFO.map((p) => ({ value: p.order, label: p.label })),
          ]}
          onChange=${(v: string) => setDraft({ ...draft, orderBy: v })} />
        <${SelectField} id="lib-direction" label="Direction" value=${draft.direction}
          options=${[{ value: 'DESC', label: 'descending' }, { value: 'ASC', label: 'ascending' }]} onChange=${(v: string) => setDraft({ ...draft, direction: v })} />
        <${SelectField} id="lib-page-size" label="Per page" value=${String(draft.pageSize)} options=${['12', '24', '48', '96']}
          onChange=${(v: string) => setDraft({ ...draft, pageSize: Number(v) })} />
      </div>
      <div class="actions">
        <button type="submit">Apply</button>
        <button type="button" class="secondary" onClick=${reset}>Reset</button>
        <span class="exports">Export:
          <${ExportLink} href=${exportUrl('csv')} label="CSV" filename=${`${lib.name}.csv`} />
          <${ExportLink} href=${exportUrl('sdf')} label="SDF" filename=${`${lib.name}.sdf`} />
        </span>
      </div>
      <${FieldError} id="lib-error" message=${formError} />
    </form>
    ${loading ? html`<${Busy} label="Searching" onCancel=${() => loading.abort()} />` : null}
    ${page
      ? html`<p class="muted" role="status">${page.totalCount === 0 ? 'No entry matches.' : `Entries ${from}–${to} of ${page.totalCount}.`}</p>
          <ol class="grid entries" aria-label="Library entries">
            ${page.edges.map(({ node: e }) => html`<${EntryCard} entry=${e} libraryId=${lib.id} />`)}
          </ol>
          <nav class="pager" aria-label="Pages">
            <button type="button" class="secondary" disabled=${cursors.length <= 1} onClick=${() => setCursors(cursors.slice(0, -1))}>Previous page</button>
            <span>page ${pageNo}</span>
            <button type="button" class="secondary" disabled=${!page.pageInfo.hasNextPage}
              onClick=${() => setCursors([...cursors, page.pageInfo.endCursor])}>Next page</button>
          </nav>`
      : null}
    <${Plots} libraryId=${lib.id} filter=${filter} version=${version} />
  </section>`;
}

/**
 * A download link of the export endpoint. Without an API key it is a plain link; with one, the file is fetched with
 * the key (a link cannot send headers) and handed to the browser.
 */
function ExportLink(props: { href: string; label: string; filename: string }) {
  const [error, setError] = useState<string | null>(null);
  async function click(e: MouseEvent) {
    const headers = authHeaders();
    if (!headers.authorization) return;
    e.preventDefault();
    setError(null);
    const res = await fetch(props.href, { headers });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(body?.error?.message ?? `export failed (HTTP ${res.status})`);
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = props.filename;
    a.click();
    URL.revokeObjectURL(url);
  }
  return html`<a class="button secondary" href=${props.href} download onClick=${click}>${props.label}</a>${error ? html`<span class="field-error" role="alert">${error}</span>` : null}`;
}

function EntryCard(props: { entry: EntryPage['edges'][number]['node']; libraryId: string }) {
  const e = props.entry;
  const c = e.candidate;
  const q = new URLSearchParams({ library: props.libraryId });
  if (e.sourceRunId) q.set('run', e.sourceRunId);
  return html`<li class="card" data-candidate=${c.id}>
    <${Depiction} svg=${c.svg} alt=${`Candidate ${c.id}: ${c.canonicalSmiles}`} width=${240} height=${170} />
    <p class="smiles"><code>${c.canonicalSmiles}</code></p>
    <${PropertyList} properties=${c.properties} keys=${['mw', 'clogp', 'tpsa', 'qed', 'sa']} />
    ${e.score !== null || e.similarity !== null
      ? html`<p>${e.score !== null ? html`score ${fmt(e.score, 3)} ` : null}${e.similarity !== null ? html`Tanimoto ${fmt(e.similarity)}` : null}</p>`
      : null}
    ${e.tags.length > 0 ? html`<p class="tags">${e.tags.map((t) => html`<span class="tag">${t}</span>`)}</p>` : null}
    ${e.note ? html`<p class="note">${e.note}</p>` : null}
    <div class="card-actions"><a href=${`#/candidate/${encodeURIComponent(c.id)}?${q.toString()}`} aria-label=${`Details of candidate ${c.id}`}>details</a></div>
  </li>`;
}

type PlotKey = keyof Properties | 'score';

function Plots(props: { libraryId: string; filter: Record<string, unknown> | null; version: number }) {
  const [rows, setRows] = useState<{ score: number | null; properties: Properties }[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [hist, setHist] = useState<PlotKey>('qed');
  const [sx, setSx] = useState<PlotKey>('mw');
  const [sy, setSy] = useState<PlotKey>('clogp');

  useEffect(() => {
    const ctrl = new AbortController();
    (async () => {
      const out: { score: number | null; properties: Properties }[] = [];
      let after: string | null = null;
      let totalCount = 0;
      while (out.length < PLOT_LIMIT) {
        const d: { libraryEntries: PlotPage } = await gql<{ libraryEntries: PlotPage }>(
          LIBRARY_PLOT_DATA,
          { lib: props.libraryId, first: 200, after, filter: props.filter },
          ctrl.signal,
        );
        totalCount = d.libraryEntries.totalCount;
        out.push(...d.libraryEntries.edges.map((e) => ({ score: e.node.score, properties: e.node.candidate.properties })));
        if (!d.libraryEntries.pageInfo.hasNextPage) break;
        after = d.libraryEntries.pageInfo.endCursor;
      }
      setRows(out.slice(0, PLOT_LIMIT));
      setTotal(totalCount);
      setError(null);
    })().catch((err) => {
      if (!isAbort(err)) setError(messageOf(err));
    });
    return () => ctrl.abort();
  }, [props.libraryId, props.filter, props.version]);

  const value = (r: { score: number | null; properties: Properties }, k: PlotKey) => (k === 'score' ? r.score : r.properties[k]);
  const options = [...PROPERTY_INFO.map((p) => ({ value: p.key as string, label: p.label })), { value: 'score', label: 'Score' }];
  const labelOf = (k: PlotKey) => options.find((o) => o.value === k)?.label ?? k;

  const histConfig = useMemo<ChartConfiguration | null>(() => {
    if (!rows) return null;
    const h = histogram(rows.map((r) => value(r, hist)).filter((v): v is number => v !== null), 12);
    return {
      type: 'bar',
      data: { labels: h.labels, datasets: [{ label: labelOf(hist), data: h.counts, backgroundColor: '#2a6f97' }] },
      options: { maintainAspectRatio: false, scales: { x: { title: { display: true, text: labelOf(hist) } }, y: { title: { display: true, text: 'entries' }, ticks: { precision: 0 } } } },
    };
  }, [rows, hist]);
  const scatterConfig = useMemo<ChartConfiguration | null>(() => {
    if (!rows) return null;
    const pts = rows
      .map((r) => ({ x: value(r, sx), y: value(r, sy) }))
      .filter((p): p is { x: number; y: number } => p.x !== null && p.y !== null);
    return {
      type: 'scatter',
      data: { datasets: [{ label: `${labelOf(sy)} vs ${labelOf(sx)}`, data: pts, backgroundColor: '#c0392b', pointRadius: 3 }] },
      options: { maintainAspectRatio: false, scales: { x: { type: 'linear', title: { display: true, text: labelOf(sx) } }, y: { title: { display: true, text: labelOf(sy) } } } },
    };
  }, [rows, sx, sy]);

  return html`<section class="panel plots" aria-labelledby="plots-title">
    <h2 id="plots-title">Property plots</h2>
    <${FieldError} id="plots-error" message=${error} />
    ${rows
      ? html`<p class="muted">${rows.length < total ? `The first ${rows.length} of ${total} matching entries.` : `${rows.length} matching entries.`}</p>
          <div class="plot-grid">
            <div>
              <${SelectField} id="plot-hist" label="Histogram of" value=${hist} options=${options} onChange=${(v: string) => setHist(v as PlotKey)} />
              ${histConfig ? html`<${ChartCanvas} id="plot-histogram" config=${histConfig} label=${`Histogram of ${labelOf(hist)} over ${rows.length} entries`} />` : null}
            </div>
            <div>
              <div class="row">
                <${SelectField} id="plot-x" label="Scatter: x" value=${sx} options=${options} onChange=${(v: string) => setSx(v as PlotKey)} />
                <${SelectField} id="plot-y" label="y" value=${sy} options=${options} onChange=${(v: string) => setSy(v as PlotKey)} />
              </div>
              ${scatterConfig ? html`<${ChartCanvas} id="plot-scatter" config=${scatterConfig} label=${`Scatter plot of ${labelOf(sy)} against ${labelOf(sx)}`} />` : null}
            </div>
          </div>`
      : null}
  </section>`;
}
