/**
 * Building blocks shared by the views: depictions, molecule input with autocomplete and live preview, field errors,
 * progress with cancel, sparklines, property tables and the "save to library" form.
 */
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, gql, isAbort, messageOf } from './api';
import {
  ADD_RUN_TO_LIBRARY,
  APPROVED_DRUGS,
  CREATE_LIBRARY,
  type Drug,
  LIBRARIES,
  type Library,
  MOLECULE_PREVIEW,
  type MoleculePreview,
  type Properties,
  PROPERTY_INFO,
} from './queries';

/** Window event sent after a library changed (created, entries added), so open views reload. */
export const LIBRARIES_CHANGED = 'molnav:libraries-changed';

/** A number with `digits` decimals; '–' for null. */
export function fmt(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

/** A value that follows `value` after `ms` without changes. */
export function useDebounced<T>(value: T, ms: number): T {
  const [out, setOut] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setOut(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return out;
}

/** An RDKit SVG shown as an image (an <img> never runs what the document contains). */
export function Depiction(props: { svg: string | null | undefined; alt: string; width?: number; height?: number }) {
  if (!props.svg) return html`<div class="depiction depiction-empty" role="img" aria-label=${props.alt}>no structure</div>`;
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(props.svg)}`;
  return html`<img class="depiction" src=${src} alt=${props.alt} width=${props.width} height=${props.height} />`;
}

/** The message of an error that belongs to one input (role=alert: read out when it appears). */
export function FieldError(props: { id: string; message: string | null | undefined }) {
  return props.message
    ? html`<p id=${props.id} class="field-error" role="alert">${props.message}</p>`
    : html`<p id=${props.id} class="field-error" hidden></p>`;
}

/** Progress of a long operation: an indeterminate or determinate bar, elapsed time, and a Cancel button. */
export function Busy(props: { label: string; value?: number | null; max?: number | null; onCancel?: () => void; cancelling?: boolean }) {
  const started = useRef(Date.now());
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(t);
  }, []);
  const seconds = ((Date.now() - started.current) / 1000).toFixed(0);
  const determinate = props.value !== null && props.value !== undefined && props.max;
  return html`<div class="busy" role="status" aria-live="polite">
    ${determinate ? html`<progress value=${props.value} max=${props.max}></progress>` : html`<progress></progress>`}
    <span>${props.label} (${seconds} s)</span>
    ${props.onCancel
      ? html`<button type="button" class="secondary" onClick=${props.onCancel} disabled=${props.cancelling}>
          ${props.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>`
      : null}
  </div>`;
}

/** A small line chart of `values` (nulls are gaps) with its first and last value, for property trends along a path. */
export function Sparkline(props: { label: string; values: (number | null)[]; digits: number }) {
  const w = 160;
  const h = 36;
  const finite = props.values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return null;
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const span = hi - lo || 1;
  const n = props.values.length;
  const x = (i: number) => (n <= 1 ? w / 2 : 2 + (i * (w - 4)) / (n - 1));
  const y = (v: number) => h - 3 - ((v - lo) / span) * (h - 6);
  const segments: string[] = [];
  let current = '';
  props.values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (current) segments.push(current);
      current = '';
    } else {
      current += `${current ? ' L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    }
  });
  if (current) segments.push(current);
  const first = finite[0];
  const last = finite[finite.length - 1];
  const summary = `${props.label}: ${fmt(first, props.digits)} to ${fmt(last, props.digits)} (range ${fmt(lo, props.digits)}–${fmt(hi, props.digits)})`;
  return html`<figure class="sparkline">
    <figcaption>${props.label}</figcaption>
    <svg width=${w} height=${h} viewBox="0 0 ${w} ${h}" role="img" aria-label=${summary}>
      ${segments.map((d) => html`<path d=${d} fill="none" stroke="currentColor" stroke-width="1.5" />`)}
      ${props.values.map((v, i) => (v === null ? null : html`<circle cx=${x(i)} cy=${y(v)} r="1.8" fill="currentColor" />`))}
    </svg>
    <span class="muted">${fmt(first, props.digits)} → ${fmt(last, props.digits)}</span>
  </figure>`;
}

/** Properties as a definition list. */
export function PropertyList(props: { properties: Properties | null | undefined; keys?: (keyof Properties)[] }) {
  if (!props.properties) return null;
  const p = props.properties;
  const rows = PROPERTY_INFO.filter((i) => !props.keys || props.keys.includes(i.key));
  return html`<dl class="props">
    ${rows.map((i) => html`<div><dt>${i.label}${i.unit ? ` (${i.unit})` : ''}</dt><dd>${fmt(p[i.key], i.digits)}</dd></div>`)}
  </dl>`;
}

/** True when the error names this input (the API quotes the offending SMILES or name in its message). */
export function errorMentions(err: unknown, input: string): boolean {
  return err instanceof ApiError && input.trim() !== '' && err.message.includes(JSON.stringify(input.trim()).slice(0, 60));
}

/** Codes of errors about a molecule given by the user. */
export const MOLECULE_ERROR_CODES = new Set(['INVALID_SMILES', 'UNKNOWN_MOLECULE_NAME', 'MOLECULE_OUT_OF_DOMAIN']);

/**
 * A molecule given as approved-drug name (with suggestions from `approvedDrugs`) or SMILES, with a live depiction
 * of what the service makes of it, and the reason when it is not a molecule. `error` (from a mutation) takes the
 * place of the preview's own reason.
 */
export function MoleculeInput(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  error?: string | null;
  required?: boolean;
  hint?: string;
  onPreview?: (m: MoleculePreview | null) => void;
}) {
  const [drugs, setDrugs] = useState<Drug[]>([]);
  const [preview, setPreview] = useState<MoleculePreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const query = useDebounced(props.value.trim(), 300);

  // Suggestions: names starting with what was typed (SMILES rarely match a name; then the list stays empty).
  useEffect(() => {
    if (query.length < 2 || !/^[A-Za-z][A-Za-z0-9 ,'()-]*$/.test(query)) {
      setDrugs([]);
      return;
    }
    const ctrl = new AbortController();
    gql<{ approvedDrugs: Drug[] }>(APPROVED_DRUGS, { prefix: query }, ctrl.signal)
      .then((d) => setDrugs(d.approvedDrugs))
      .catch(() => setDrugs([]));
    return () => ctrl.abort();
  }, [query]);

  // Live preview: validity, canonical SMILES and the depiction.
  useEffect(() => {
    if (!query) {
      setPreview(null);
      setPreviewError(null);
      props.onPreview?.(null);
      return;
    }
    const ctrl = new AbortController();
    setLoading(true);
    gql<{ molecule: MoleculePreview }>(MOLECULE_PREVIEW, { q: query }, ctrl.signal)
      .then((d) => {
        setPreview(d.molecule);
        setPreviewError(null);
        props.onPreview?.(d.molecule);
      })
      .catch((err) => {
        if (isAbort(err)) return;
        setPreview(null);
        setPreviewError(messageOf(err));
        props.onPreview?.(null);
      })
      .finally(() => setLoading(false));
    return () => ctrl.abort();
  }, [query]);

  const errorId = `${props.id}-error`;
  const hintId = `${props.id}-hint`;
  const stale = preview && preview.input !== props.value.trim();
  const message = props.error ?? (preview && !preview.valid && !stale ? preview.reason : null) ?? previewError;
  return html`<div class="molecule-input">
    <label for=${props.id}>${props.label}</label>
    <input
      id=${props.id}
      name=${props.id}
      type="text"
      list=${`${props.id}-drugs`}
      value=${props.value}
      required=${props.required}
      autocomplete="off"
      spellcheck=${false}
      placeholder="drug name or SMILES"
      aria-invalid=${message ? 'true' : 'false'}
      aria-describedby=${`${hintId} ${errorId}`}
      onInput=${(e: Event) => props.onInput((e.currentTarget as HTMLInputElement).value)}
    />
    <datalist id=${`${props.id}-drugs`}>
      ${drugs.map((d) => html`<option value=${d.name.toLowerCase()} label=${`${d.name} (${d.chemblId})`}></option>`)}
    </datalist>
    <p id=${hintId} class="hint">${props.hint ?? 'Approved-drug name (suggestions as you type) or SMILES.'}</p>
    <${FieldError} id=${errorId} message=${message} />
    <div class="preview" aria-live="polite" data-state=${loading ? 'loading' : preview?.valid ? 'valid' : 'empty'}>
      ${preview?.valid && !stale
        ? html`<${Depiction} svg=${preview.svg} alt=${`Structure of ${preview.name ?? preview.canonicalSmiles}`} width=${240} height=${160} />
            <p class="smiles">${preview.name ? html`<strong>${preview.name}</strong> ${preview.chemblId} · ` : null}<code>${preview.canonicalSmiles}</code></p>`
        : null}
    </div>
  </div>`;
}

/** A labelled number input. */
export function NumberField(props: {
  id: string;
  label: string;
  value: number | string;
  onInput: (v: string) => void;
  min?: number;
  max?: number;
  step?: number | 'any';
  hint?: string;
  error?: string | null;
}) {
  return html`<div class="field">
    <label for=${props.id}>${props.label}</label>
    <input id=${props.id} name=${props.id} type="number" inputmode="decimal" value=${props.value} min=${props.min} max=${props.max} step=${props.step ?? 1}
      aria-describedby=${`${props.id}-error`} aria-invalid=${props.error ? 'true' : 'false'}
      onInput=${(e: Event) => props.onInput((e.currentTarget as HTMLInputElement).value)} />
    ${props.hint ? html`<p class="hint">${props.hint}</p>` : null}
    <${FieldError} id=${`${props.id}-error`} message=${props.error} />
  </div>`;
}

/** A labelled select of plain values. */
export function SelectField(props: { id: string; label: string; value: string; options: readonly (string | { value: string; label: string })[]; onChange: (v: string) => void }) {
  return html`<div class="field">
    <label for=${props.id}>${props.label}</label>
    <select id=${props.id} name=${props.id} value=${props.value} onChange=${(e: Event) => props.onChange((e.currentTarget as HTMLSelectElement).value)}>
      ${props.options.map((o) => (typeof o === 'string' ? html`<option value=${o}>${o}</option>` : html`<option value=${o.value}>${o.label}</option>`))}
    </select>
  </div>`;
}

/** Libraries for pickers, reloaded when a library changes. */
export function useLibraries(): { libraries: Library[]; error: string | null; reload: () => void } {
  const [libraries, setLibraries] = useState<Library[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    window.addEventListener(LIBRARIES_CHANGED, bump);
    return () => window.removeEventListener(LIBRARIES_CHANGED, bump);
  }, []);
  useEffect(() => {
    gql<{ libraries: { edges: { node: Library }[] } }>(LIBRARIES)
      .then((d) => {
        setLibraries(d.libraries.edges.map((e) => e.node));
        setError(null);
      })
      .catch((err) => setError(messageOf(err)));
  }, [version]);
  return { libraries, error, reload: () => setVersion((v) => v + 1) };
}

/**
 * Saves a run's candidates (all, or chosen positions) to a library picked from the list or created by name
 * (addRunToLibrary: the entries keep the run as their source, and its scores).
 */
export function SaveToLibrary(props: { id: string; runId: string; positions?: number[] | null; what: string; tags?: string[] }) {
  const { libraries } = useLibraries();
  const [choice, setChoice] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ library: Library; added: number; alreadyPresent: number } | null>(null);
  const creating = choice === '' || libraries.length === 0;

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      let libraryId = choice;
      if (creating) {
        const created = await gql<{ createLibrary: Library }>(CREATE_LIBRARY, { input: { name: name.trim() } });
        libraryId = created.createLibrary.id;
      }
      const input: Record<string, unknown> = { libraryId, runId: props.runId };
      if (props.positions) input.positions = props.positions;
      if (props.tags && props.tags.length > 0) input.tags = props.tags;
      const r = await gql<{ addRunToLibrary: { added: number; alreadyPresent: number; library: Library } }>(ADD_RUN_TO_LIBRARY, { input });
      setDone(r.addRunToLibrary);
      setChoice(r.addRunToLibrary.library.id);
      setName('');
      window.dispatchEvent(new Event(LIBRARIES_CHANGED));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const nothing = props.positions !== null && props.positions !== undefined && props.positions.length === 0;
  return html`<form class="save-to-library" onSubmit=${save} aria-label=${`Save ${props.what} to a library`}>
    <div class="field">
      <label for=${`${props.id}-library`}>Library</label>
      <select id=${`${props.id}-library`} value=${choice} onChange=${(e: Event) => setChoice((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">New library…</option>
        ${libraries.map((l) => html`<option value=${l.id}>${l.name} (${l.entryCount})</option>`)}
      </select>
    </div>
    ${creating
      ? html`<div class="field">
          <label for=${`${props.id}-name`}>New library name</label>
          <input id=${`${props.id}-name`} type="text" value=${name} required maxlength="100" aria-describedby=${`${props.id}-save-error`}
            onInput=${(e: Event) => setName((e.currentTarget as HTMLInputElement).value)} />
        </div>`
      : null}
    <button type="submit" disabled=${busy || nothing}>${busy ? 'Saving…' : `Save ${props.what}`}</button>
    <${FieldError} id=${`${props.id}-save-error`} message=${error} />
    ${done
      ? html`<p class="ok" role="status">
          Saved to <a href=${`#/libraries?library=${encodeURIComponent(done.library.id)}`}>${done.library.name}</a>:
          ${done.added} added, ${done.alreadyPresent} already there (${done.library.entryCount} entries).
        </p>`
      : null}
  </form>`;
}

/** A titled section. */
export function Panel(props: { title: string; children: ComponentChildren; id?: string }) {
  return html`<section class="panel" aria-labelledby=${props.id ? `${props.id}-title` : undefined}>
    <h2 id=${props.id ? `${props.id}-title` : undefined}>${props.title}</h2>
    ${props.children}
  </section>`;
}
