/**
 * @module interfaces/http/web/app
 * The page of `rtc serve`, in plain browser JavaScript (no build step, no framework): the search for context
 * with the reason of every item, a symbol's neighbourhood and a file's semantic graph drawn with cytoscape,
 * a file's source, symbols and syntax tree, and live updates from `/v1/events`. Everything it shows comes
 * from the HTTP API v1; an error from it goes to the error banner.
 */
/* global window, document, fetch, EventSource, setTimeout, clearTimeout */
import { $, h } from './dom.js';
import {
  NODE_COLOURS,
  FILTERS,
  SYMBOL_KINDS,
  callerSideOf,
  drawGraph,
  edgeGroup,
  renderLegend,
} from './graph.js';

/** What the page shows now. */
const state = {
  workspace: undefined,
  version: undefined,
  lastSearch: undefined,
  graph: undefined,
  file: undefined,
  symbolGraph: undefined,
  asgGraph: undefined,
};

// ---- API and page helpers

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the API: JSON in, JSON out; an error answer (`{error: {code, message}}`) throws an {@link ApiError}. */
async function api(method, path, { body, query } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) url.searchParams.set(key, value);
  const init = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(state.workspace ? { ...body, workspace: state.workspace } : body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new ApiError(0, 'RTC_UNREACHABLE', `The server cannot be reached (${error.message})`);
  }
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = json?.error;
    const message = error?.message ?? (text.slice(0, 300) || response.statusText);
    throw new ApiError(response.status, error?.code ?? `HTTP ${response.status}`, message);
  }
  if (json === undefined) throw new ApiError(response.status, 'RTC_BAD_ANSWER', 'The answer is not JSON');
  return json;
}

const encodePath = (path) => path.split('/').map(encodeURIComponent).join('/');
const workspaceQuery = () => ({ workspace: state.workspace });

function showError(error) {
  $('error-code').textContent = error.code ?? 'Error';
  $('error-message').textContent = error.message ?? String(error);
  $('error').hidden = false;
}

/** Runs an action of the user; its error goes to the banner. */
async function guarded(action) {
  try {
    await action();
  } catch (error) {
    showError(error);
  }
}

let toastTimer;
function toast(text) {
  const el = $('toast');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 5000);
}

/** Shows the version of the graph; an answer computed before the latest update does not take it back. */
function setVersion(version) {
  if (typeof version !== 'number' || (state.version !== undefined && version < state.version)) return;
  state.version = version;
  $('version').textContent = `v${version}`;
  $('version').dataset.version = String(version);
}

function showPane(id) {
  $('tooltip').hidden = true;
  for (const tab of document.querySelectorAll('#view-pane > .tabs button')) {
    const active = tab.dataset.pane === id;
    tab.classList.toggle('active', active);
    $(tab.dataset.pane).hidden = !active;
  }
  if (id === 'graph-view') state.symbolGraph?.resize();
}

const lines = (item) =>
  item.startLine === item.endLine ? `${item.startLine}` : `${item.startLine}–${item.endLine}`;
const rangeText = (r) =>
  `${r.start.line + 1}:${r.start.character + 1}–${r.end.line + 1}:${r.end.character + 1}`;
const round = (n) => (typeof n === 'number' ? (Math.round(n * 1000) / 1000).toString() : '');

// ---- Workspaces and files

async function loadWorkspaces() {
  const { workspaces } = await api('GET', '/v1/workspaces');
  const select = $('workspace');
  select.replaceChildren(...workspaces.map((w) => h('option', { value: w.root, title: w.root }, w.name)));
  const current = workspaces.find((w) => w.root === state.workspace) ?? workspaces[0];
  if (!current) throw new ApiError(404, 'RTC_NOT_FOUND', 'No workspace folder is open');
  state.workspace = current.root;
  select.value = current.root;
  state.version = undefined;
  setVersion(current.version);
}

async function loadFiles() {
  const { files } = await api('GET', '/v1/files', { query: workspaceQuery() });
  const select = $('file-select');
  const chosen = state.file?.path;
  select.replaceChildren(h('option', { value: '' }, `Choose a file (${files.length})…`));
  select.append(...files.map((f) => h('option', { value: f.path }, f.path)));
  if (chosen) select.value = chosen;
}

// ---- Search: the packed context with reasons, and the files

function reasonNode(reason) {
  const el = h('div', { class: 'reason' });
  if (!reason) return el;
  el.append(h('span', { class: 'chip route' }, `route ${reason.route}`));
  if (reason.entry)
    el.append(h('span', { class: 'chip entry' }, `entry ${reason.entry.name} via ${reason.entry.via}`));
  if (reason.path?.length) {
    const steps = reason.path.map((step) => [h('span', { class: 'edge' }, ` —${step.edge}→ `), step.name]);
    el.append(h('span', { class: 'chip path' }, reason.entry?.name ?? '', steps));
  }
  const rewards = Object.entries(reason.rewards ?? {}).filter(([, v]) => typeof v === 'number');
  if (rewards.length > 0)
    el.append(h('span', { class: 'chip rewards' }, rewards.map(([k, v]) => `${k} ${round(v)}`).join(' · ')));
  return el;
}

/** A packed item as the page shows it (the engine's `PackedItem`, or one candidate with a range). */
function normaliseItem(item) {
  if (Array.isArray(item.names)) return item;
  const start = (item.range?.start.line ?? 0) + 1;
  return {
    ...item,
    startLine: item.startLine ?? start,
    endLine: item.endLine ?? (item.range?.end.line ?? start - 1) + 1,
    names: [item.qualifiedName ?? item.name],
    reasons: [item.reason],
  };
}

function renderResults(context, found) {
  const symbols = new Map(found.symbols.map((s) => [`${s.path}\0${s.qualifiedName}`, s]));
  const timing = context.timings?.total !== undefined ? ` · ${round(context.timings.total)} ms` : '';
  $('summary').textContent =
    `${context.items.length} excerpts · ${context.tokens}/${context.budget} tokens · route ${context.route}` +
    ` · version ${context.version ?? '?'}${context.omitted ? ` · ${context.omitted} omitted` : ''}${timing}`;
  $('results').replaceChildren(
    ...context.items.map(normaliseItem).map((item, rank) =>
      h(
        'li',
        { class: 'result', dataset: { path: item.path } },
        h(
          'div',
          { class: 'result-head' },
          h('span', { class: 'rank' }, `${rank + 1}`),
          h(
            'a',
            { class: 'path', href: '#', onclick: openFromLink(item.path, item.startLine) },
            `${item.path}:${lines(item)}`,
          ),
          item.mode ? h('span', { class: 'muted' }, ` ${item.mode}`) : null,
          item.tokens !== undefined ? h('span', { class: 'muted' }, ` · ${item.tokens} tokens`) : null,
        ),
        h(
          'ul',
          { class: 'names' },
          item.names.map((name, i) => {
            const symbol = symbols.get(`${item.path}\0${name}`);
            const kind = symbol?.kind ?? item.kind;
            const score = symbol?.score ?? item.score;
            return h(
              'li',
              { class: 'name' },
              h('span', { class: 'kind', style: `--kind:${NODE_COLOURS[kind] ?? '#999'}` }, kind ?? 'symbol'),
              h(
                'button',
                {
                  class: 'symbol link',
                  type: 'button',
                  title: 'Show its neighbourhood',
                  onclick: () => void guarded(() => showGraph({ name, path: item.path })),
                },
                name,
              ),
              score !== undefined ? h('span', { class: 'score', title: 'score' }, round(score)) : null,
              reasonNode(item.reasons?.[i] ?? symbol?.reason),
            );
          }),
        ),
        item.code !== undefined
          ? h('details', { class: 'code' }, h('summary', {}, 'code'), h('pre', {}, item.code))
          : null,
      ),
    ),
  );
  if (context.items.length === 0) $('results').append(h('li', { class: 'muted' }, 'Nothing found'));
  $('packed-tokens').textContent = `(${context.tokens} tokens)`;
  $('packed-text').textContent = context.text;
  $('files-found').replaceChildren(
    ...found.files.map((f) =>
      h(
        'li',
        {},
        h('a', { href: '#', class: 'path', onclick: openFromLink(f.path) }, f.path),
        h('span', { class: 'score' }, round(f.score)),
      ),
    ),
  );
}

async function runSearch(request) {
  const button = $('search-button');
  button.disabled = true;
  $('summary').textContent = 'Searching…';
  try {
    const [context, found] = await Promise.all([
      api('POST', '/v1/context', { body: request }),
      api('POST', '/v1/search', {
        body: { query: request.query, limit: 40, ...(request.route ? { route: request.route } : {}) },
      }),
    ]);
    state.lastSearch = request;
    $('error').hidden = true;
    renderResults(context, found);
  } catch (error) {
    $('summary').textContent = '';
    throw error;
  } finally {
    button.disabled = false;
  }
}

function searchRequest() {
  const request = { query: $('query').value.trim() };
  const budget = Number($('budget').value);
  if ($('budget').value !== '' && Number.isFinite(budget)) request.budget = Math.round(budget);
  const route = $('route').value.trim();
  if (route) request.route = route;
  return request;
}

function applyFilters() {
  const cy = state.symbolGraph;
  if (!cy) return;
  const on = new Set([...document.querySelectorAll('#edge-filters input:checked')].map((i) => i.value));
  cy.batch(() => {
    cy.edges().forEach((e) => void e.style('display', on.has(e.data('group')) ? 'element' : 'none'));
    cy.nodes().forEach((n) => {
      const shown = n.hasClass('centre') || n.connectedEdges().some((e) => on.has(e.data('group')));
      n.style('display', shown ? 'element' : 'none');
    });
  });
}

/**
 * Shows the neighbourhood of a symbol in the symbol graph: `name` is its qualified name (the API finds every
 * symbol of that name); `path`, when known, picks the centre among them.
 */
async function showGraph(target) {
  showPane('graph-view');
  const { name, path } = target;
  const depth = Number($('depth').value);
  const data = await api('POST', '/v1/graph', { body: { symbol: name, depth } });
  state.graph = { target, paths: new Set(data.nodes.map((n) => n.path)) };
  if (data.version !== undefined) setVersion(data.version);
  const named = data.nodes.filter((n) => n.qualifiedName === name);
  const declarations = named.filter((n) => n.kind !== 'module');
  const candidates = declarations.length > 0 ? declarations : named;
  const inPath = candidates.filter((n) => n.path === path);
  const centres = new Set((inPath.length > 0 ? inPath : candidates).map((n) => n.id));
  const isCentre = (n) => centres.has(n.id);
  const callerSide = callerSideOf(data, [...centres]);
  state.symbolGraph?.destroy();
  state.symbolGraph = drawGraph($('graph'), data, {
    centre: isCentre,
    group: (e, byId) => edgeGroup(e, byId, callerSide),
    onTap: (node) => {
      if (SYMBOL_KINDS.has(node.kind) && node.path)
        void guarded(() => showGraph({ name: node.qualifiedName, path: node.path }));
    },
  });
  window.rtcGraph = state.symbolGraph;
  applyFilters();
  renderLegend($('legend'), data);
  $('graph-title').textContent =
    data.nodes.length === 0
      ? `No symbol named ${name}`
      : `${name} · ${data.nodes.length} nodes, ${data.edges.length} edges · depth ${depth}`;
}

// ---- File view: source, symbols, syntax tree, semantic graph

function openFromLink(path, line) {
  return (event) => {
    event.preventDefault();
    void guarded(() => openFile(path, { view: 'text', line }));
  };
}

async function openFile(path, { view, line } = {}) {
  state.file = { path, view: view ?? state.file?.view ?? 'text', line };
  const select = $('file-select');
  if (![...select.options].some((o) => o.value === path)) select.append(h('option', { value: path }, path));
  select.value = path;
  showPane('file-view');
  await renderFile();
}

async function renderFile() {
  const { path, view, line } = state.file;
  for (const tab of document.querySelectorAll('.file-tab'))
    tab.classList.toggle('active', tab.dataset.view === view);
  for (const panel of document.querySelectorAll('.file-panel')) panel.hidden = panel.dataset.view !== view;
  const data = await api('GET', `/v1/files/${encodePath(path)}`, { query: { ...workspaceQuery(), view } });
  if (state.file.path !== path || state.file.view !== view) return;
  if (view === 'text') renderSource(data, line);
  else if (view === 'symbols') renderSymbols(data);
  else if (view === 'ast') renderAst(data);
  else renderAsg(data);
}

function renderSource(data, line) {
  const panel = $('file-source');
  const scroll = panel.scrollTop;
  const all = data.text.split('\n');
  if (all.length > 1 && all.at(-1) === '') all.pop();
  const shown = all.slice(0, 20000);
  $('file-info').textContent = `${all.length} lines · from ${data.source ?? 'disk'}`;
  panel.replaceChildren(
    ...shown.map((text, i) =>
      h(
        'div',
        { class: i + 1 === line ? 'line marked' : 'line', dataset: { line: i + 1 } },
        h('span', { class: 'ln' }, `${i + 1}`),
        h('code', {}, text),
      ),
    ),
  );
  if (all.length > shown.length)
    panel.append(h('div', { class: 'muted' }, `… ${all.length - shown.length} more lines`));
  const marked = panel.querySelector('.marked');
  if (marked) {
    marked.scrollIntoView({ block: 'center' });
    state.file.line = undefined;
  } else panel.scrollTop = scroll;
}

function renderSymbols(data) {
  $('file-info').textContent = `${data.symbols.length} symbols`;
  $('file-symbols').replaceChildren(
    ...data.symbols.map((s) =>
      h(
        'li',
        {},
        h('span', { class: 'kind', style: `--kind:${NODE_COLOURS[s.kind] ?? '#999'}` }, s.kind),
        h(
          'button',
          {
            class: 'link',
            type: 'button',
            onclick: () => void guarded(() => showGraph({ name: s.qualifiedName, path: s.path })),
          },
          s.qualifiedName,
        ),
        h(
          'a',
          { href: '#', class: 'muted', onclick: openFromLink(s.path, s.range.start.line + 1) },
          ` line ${s.range.start.line + 1}`,
        ),
        s.signature ? h('code', { class: 'signature' }, s.signature) : null,
      ),
    ),
  );
}

/** One node of the syntax tree: `field: type "text" range`; children are built when it is first opened. */
function astNode(node, depth) {
  const label = [
    node.field ? h('span', { class: 'field' }, `${node.field}: `) : null,
    h('span', { class: node.error ? 'type error' : 'type' }, node.type),
    node.text !== undefined ? h('span', { class: 'text' }, ` ${JSON.stringify(node.text)}`) : null,
    h('span', { class: 'range' }, ` ${rangeText(node.range)}`),
  ];
  if (!node.children?.length) return h('div', { class: 'ast-leaf' }, label);
  const details = h('details', { class: 'ast-node', open: depth < 3 }, h('summary', {}, label));
  const fill = () => {
    if (details.dataset.filled) return;
    details.dataset.filled = 'yes';
    details.append(...node.children.map((child) => astNode(child, depth + 1)));
  };
  if (depth < 3) fill();
  else details.addEventListener('toggle', fill);
  return details;
}

function renderAst(data) {
  $('file-info').textContent =
    `${data.language} · ${data.nodeCount} nodes${data.truncated ? ' (truncated)' : ''} · ${data.diagnostics?.length ?? 0} diagnostics`;
  const diagnostics = (data.diagnostics ?? []).map((d) =>
    h('div', { class: 'diagnostic' }, `${d.range ? rangeText(d.range) : ''} ${d.message}`),
  );
  $('ast-tree').replaceChildren(
    ...diagnostics,
    data.tree ? astNode(data.tree, 0) : h('p', {}, 'No syntax tree'),
  );
}

function renderAsg(data) {
  // Shared type nodes come with every file; those no edge of this file touches are left out.
  const touched = new Set(data.edges.flatMap((e) => [e.source, e.target]));
  const nodes = data.nodes.filter((n) => n.kind !== 'type' || touched.has(n.id));
  $('file-info').textContent =
    `${nodes.length} nodes · ${data.edges.length} edges · version ${data.version ?? '?'}`;
  state.asgGraph?.destroy();
  state.asgGraph = drawGraph(
    $('asg'),
    { nodes, edges: data.edges },
    {
      centre: (n) => n.kind === 'module',
      layout: {
        name: 'breadthfirst',
        directed: true,
        roots: nodes.filter((n) => n.kind === 'module').map((n) => n.id),
        spacingFactor: 0.9,
        animate: false,
      },
      onTap: (node) => {
        if (SYMBOL_KINDS.has(node.kind) && node.path)
          void guarded(() => showGraph({ name: node.qualifiedName, path: node.path }));
      },
    },
  );
  window.rtcAsg = state.asgGraph;
  renderLegend($('asg-legend'), { nodes, edges: data.edges });
}

// ---- Live updates

const relativePath = (root, path) =>
  root && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;

async function onDelta(delta) {
  if (state.workspace && delta.root && delta.root !== state.workspace) return;
  setVersion(delta.version);
  const files = (delta.files ?? []).map((f) => ({ path: relativePath(delta.root, f.path), kind: f.kind }));
  const named = files
    .slice(0, 3)
    .map((f) => `${f.path} ${f.kind === 'edited' ? 'changed' : (f.kind ?? 'changed')}`);
  toast(
    `version ${delta.version}: ${named.join(', ')}${files.length > 3 ? ` and ${files.length - 3} more` : ''}`,
  );
  const paths = new Set(files.map((f) => f.path));
  if (files.some((f) => f.kind !== 'edited')) await guarded(loadFiles);
  if (state.file && paths.has(state.file.path)) await guarded(renderFile);
  if (state.graph && [...paths].some((p) => state.graph.paths.has(p) || state.graph.paths.size === 0))
    await guarded(() => showGraphKeepingPane(state.graph));
  if ($('live-search').checked && state.lastSearch) await guarded(() => runSearch(state.lastSearch));
}

/** Redraws the symbol graph without switching away from the file view. */
async function showGraphKeepingPane(graph) {
  const filePane = !$('file-view').hidden;
  await showGraph(graph.target);
  if (filePane) showPane('file-view');
}

function versionOf(versions) {
  if (Array.isArray(versions))
    return versions.find((v) => v.root === state.workspace)?.version ?? versions[0]?.version;
  if (versions && typeof versions === 'object')
    return versions[state.workspace] ?? Object.values(versions)[0];
  return typeof versions === 'number' ? versions : undefined;
}

function connectEvents() {
  const events = new EventSource('/v1/events');
  const live = $('live-status');
  const setLive = (on) => {
    live.textContent = on ? 'live' : 'offline';
    live.className = on ? 'online' : 'offline';
  };
  events.addEventListener('open', () => setLive(true));
  events.addEventListener('error', () => setLive(false));
  events.addEventListener('hello', (event) => {
    setLive(true);
    setVersion(versionOf(JSON.parse(event.data).versions));
  });
  events.addEventListener('delta', (event) => void onDelta(JSON.parse(event.data)));
  return events;
}

// ---- Wiring

function wire() {
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void guarded(() => runSearch(searchRequest()));
  });
  $('error-close').addEventListener('click', () => ($('error').hidden = true));
  for (const tab of document.querySelectorAll('#view-pane > .tabs button'))
    tab.addEventListener('click', () => showPane(tab.dataset.pane));
  for (const tab of document.querySelectorAll('.file-tab'))
    tab.addEventListener('click', () => {
      if (!state.file) return;
      state.file.view = tab.dataset.view;
      void guarded(renderFile);
    });
  $('file-select').addEventListener('change', (event) => {
    if (event.target.value) void guarded(() => openFile(event.target.value));
  });
  $('depth').addEventListener('change', () => {
    if (state.graph) void guarded(() => showGraph(state.graph.target));
  });
  $('edge-filters').replaceChildren(
    ...FILTERS.map((f) =>
      h(
        'label',
        {},
        h('input', {
          type: 'checkbox',
          value: f.id,
          checked: true,
          id: `filter-${f.id}`,
          onchange: applyFilters,
        }),
        ` ${f.label}`,
      ),
    ),
  );
  $('workspace').addEventListener('change', (event) => {
    state.workspace = event.target.value;
    state.file = undefined;
    void guarded(async () => {
      await loadWorkspaces();
      await loadFiles();
    });
  });
  window.addEventListener('error', (event) => showError({ code: 'Page error', message: event.message }));
  window.addEventListener('unhandledrejection', (event) =>
    showError(event.reason ?? { message: 'Unknown error' }),
  );
}

async function start() {
  wire();
  if (typeof window.cytoscape !== 'function')
    showError({
      code: 'Page error',
      message: 'The graph library (/assets/vendor/cytoscape.min.js) did not load',
    });
  await guarded(async () => {
    await loadWorkspaces();
    await loadFiles();
  });
  connectEvents();
  document.body.dataset.ready = 'yes';
}

void start();
