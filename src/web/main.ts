/**
 * The molnav workbench: a single page served by the service at `/` (docs/workbench.md). Hash routes
 * (#/interpolate, #/explore, #/optimise, #/libraries, #/candidate/<id>) keep the server free of fallback routes.
 * Views stay mounted once visited (hidden when not shown), so a result survives a look at a candidate page.
 */
import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiKey, setApiKey } from './api';
import { CandidateView } from './views/candidate';
import { ExploreView } from './views/explore';
import { InterpolateView } from './views/interpolate';
import { LibrariesView } from './views/libraries';
import { OptimiseView } from './views/optimise';

const VIEWS = [
  { path: 'interpolate', label: 'Interpolate' },
  { path: 'explore', label: 'Explore' },
  { path: 'optimise', label: 'Optimise' },
  { path: 'libraries', label: 'Libraries' },
] as const;

type ViewPath = (typeof VIEWS)[number]['path'];

interface Route {
  view: ViewPath | 'candidate';
  id: string | null;
  params: URLSearchParams;
}

/** `#/libraries?library=…` → {view: 'libraries', params}; `#/candidate/12?run=…` → {view: 'candidate', id: '12'}. */
function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [view, id] = path.split('/');
  const params = new URLSearchParams(query);
  if (view === 'candidate' && id) return { view: 'candidate', id: decodeURIComponent(id), params };
  const known = VIEWS.find((v) => v.path === view);
  return { view: known ? known.path : 'interpolate', id: null, params };
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

function ApiKeyField() {
  const [value, setValue] = useState(apiKey());
  const [saved, setSaved] = useState(false);
  return html`<details class="settings">
    <summary>API key</summary>
    <form onSubmit=${(e: Event) => { e.preventDefault(); setApiKey(value.trim()); setSaved(true); }}>
      <label for="api-key">API key (for deployments that require keys; kept in this browser)</label>
      <input id="api-key" type="password" autocomplete="off" value=${value}
        onInput=${(e: Event) => { setValue((e.currentTarget as HTMLInputElement).value); setSaved(false); }} />
      <button type="submit" class="secondary">Save key</button>
      ${saved ? html`<span role="status">${value.trim() ? 'Key saved.' : 'Key removed.'}</span>` : null}
    </form>
  </details>`;
}

function App() {
  const route = useRoute();
  const [visited, setVisited] = useState<Set<string>>(() => new Set([route.view]));
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    setVisited((v) => (v.has(route.view) ? v : new Set([...v, route.view])));
    // Move focus to the new view's heading so keyboard and screen-reader users land on it.
    const h1 = main.current?.querySelector<HTMLElement>(`[data-view="${route.view}"] h1`);
    if (h1 && document.activeElement?.closest('nav.main-nav')) h1.focus();
    document.title = `${route.view === 'candidate' ? `Candidate ${route.id}` : VIEWS.find((v) => v.path === route.view)?.label} · molnav`;
  }, [route.view, route.id]);

  const view = (path: ViewPath, body: unknown) =>
    visited.has(path) || route.view === path
      ? html`<div data-view=${path} hidden=${route.view !== path}>${body}</div>`
      : null;
  return html`<a class="skip" href="#main" onClick=${(e: Event) => { e.preventDefault(); main.current?.focus(); }}>Skip to content</a>
    <header class="top">
      <a class="brand" href="#/interpolate">molnav <span>workbench</span></a>
      <nav class="main-nav" aria-label="Views">
        <ul>
          ${VIEWS.map(
            (v) => html`<li><a href=${`#/${v.path}`} aria-current=${route.view === v.path ? 'page' : undefined}>${v.label}</a></li>`,
          )}
        </ul>
      </nav>
      <${ApiKeyField} />
    </header>
    <main id="main" ref=${main} tabindex="-1">
      ${view('interpolate', html`<${InterpolateView} />`)}
      ${view('explore', html`<${ExploreView} />`)}
      ${view('optimise', html`<${OptimiseView} />`)}
      ${view('libraries', html`<${LibrariesView} params=${route.view === 'libraries' ? route.params : new URLSearchParams()} active=${route.view === 'libraries'} />`)}
      ${route.view === 'candidate' && route.id
        ? html`<div data-view="candidate"><${CandidateView} key=${route.id} id=${route.id} params=${route.params} /></div>`
        : null}
    </main>
    <footer class="foot">
      <p>Structures drawn by RDKit on the server; everything here uses the public <a href="graphql">GraphQL API</a>.</p>
    </footer>`;
}

render(html`<${App} />`, document.getElementById('app')!);
