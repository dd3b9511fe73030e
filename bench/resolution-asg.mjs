/**
 * Our side of the resolution benchmark: indexes a repository with this project's engine (dist/) and turns
 * the ASG's `calls` edges into (calling definition -> called definition) edges keyed like SCIP's.
 *
 * A field or variable target counts as callee when SCIP sees that it holds a function (`handler = () => …`).
 * The caller is the declaration that `contains` the call_site; a declaration that SCIP does not treat as a
 * scope (a function-scoped function in TypeScript, which SCIP only knows as a local) is folded into the
 * nearest enclosing one, as SCIP does. The callee is the edge target; a `constructor`/`__init__` target
 * is the same callee as its class. Declarations are mapped onto SCIP symbols by file and line of their name,
 * so overloads and declaration merges get one key; a target with no SCIP definition on its line keeps its
 * own `path:line` key (and so cannot match). Calls to declarations SCIP sees as locals are left out, as on
 * the SCIP side. Call sites go through the same textual call rule as SCIP's references; `super(…)` is
 * left out (scip-typescript records no occurrence for the keyword).
 */
import { globalSymbolAt, moduleKey, normaliseCallee, onlyLocalsAt } from './resolution-scip.mjs';
import { isCallAt } from './resolution-text.mjs';

const CALLABLE = new Set(['function', 'method', 'class']);
const CONSTRUCTOR_NAMES = new Set(['constructor', '__init__']);

/** Our function and method declarations in the files SCIP indexed: [{path, line, character, name, range}]. */
export function ourDeclarations(graph, files) {
  const out = [];
  for (const n of graph.nodes) {
    if ((n.kind !== 'function' && n.kind !== 'method') || !files.has(n.path)) continue;
    const at = (n.selectionRange ?? n.range).start;
    out.push({ path: n.path, line: at.line, character: at.character, name: n.name, range: n.range });
  }
  return out;
}

/**
 * Our call edges, two views: `all` (every calls edge) and `resolved` (only non-ambiguous ones).
 * Each view: {edges: Map 'caller -> callee' -> {caller, callee, sites}, bySite: Map siteId -> {caller, callees}}.
 * Also returns `callSites` (every call_site position that passes the call rule, resolved or not), labels
 * for our own keys, and counts of what was left out.
 */
export function ourCallEdges(graph, model, sources, jsLike) {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  const owner = new Map();
  for (const e of graph.edges) {
    if (e.kind !== 'defines' && e.kind !== 'contains') continue;
    const kind = byId.get(e.target)?.kind;
    if (kind === 'call_site') owner.set(e.target, e.source);
    else if (kind !== 'import') parent.set(e.target, e.source); // declarations, lambdas included
  }
  const scopeSymbols = new Set();
  for (const list of model.scopes.values()) for (const s of list) scopeSymbols.add(s.symbol);
  const labels = new Map();
  const nameAt = (n) => (n.selectionRange ?? n.range).start;

  /** Caller key: the nearest declaration (self or ancestor) that is a SCIP scope, else the module. */
  const callerKey = (id, path) => {
    for (let node = byId.get(id); node && node.kind !== 'module'; node = byId.get(parent.get(node.id))) {
      const at = nameAt(node);
      const symbol = globalSymbolAt(model, node.path, at.line, at.character, (s) => scopeSymbols.has(s));
      if (symbol) return model.keyOf(symbol);
    }
    return moduleKey(path);
  };

  /** Callee key, or null for a callee SCIP sees as a local. */
  const calleeKey = (node) => {
    const at = nameAt(node);
    const symbol = globalSymbolAt(model, node.path, at.line, at.character);
    if (symbol) return model.keyOf(normaliseCallee(symbol));
    if (onlyLocalsAt(model, node.path, at.line)) return null;
    if (node.kind === 'method' && CONSTRUCTOR_NAMES.has(node.name)) {
      const cls = byId.get(parent.get(node.id));
      if (cls && cls.kind === 'class') return calleeKey(cls);
    }
    const key = `${node.path}:${at.line + 1}`;
    labels.set(key, `${node.qualifiedName} (no SCIP definition on this line)`);
    return key;
  };

  /** A field or variable target counts when SCIP's symbol on its line holds a function (`x = () => …`). */
  const holdsFunction = (node) => {
    if (node.kind !== 'field' && node.kind !== 'variable' && node.kind !== 'constant') return false;
    const at = nameAt(node);
    const symbol = globalSymbolAt(model, node.path, at.line, at.character);
    return Boolean(symbol) && symbol.endsWith('.') && !symbol.endsWith(').') && model.isCallable(symbol);
  };

  const skipped = {
    superCalls: 0,
    notCallSyntax: 0,
    calleeOutOfScope: 0,
    localCallee: 0,
    nonCallableTarget: 0,
  };
  const views = { all: newView(), resolved: newView() };
  const callSites = new Map();
  const callSiteOk = new Map();
  const siteIsCall = (site) => {
    if (!callSiteOk.has(site.id)) {
      const source = sources.get(site.path);
      const range = site.selectionRange ?? site.range;
      let ok = Boolean(source) && isCallAt(source, range, jsLike);
      if (ok && source.slice(range.start, range.end) === 'super') ok = false;
      callSiteOk.set(site.id, ok);
    }
    return callSiteOk.get(site.id);
  };

  for (const n of graph.nodes) {
    if (n.kind !== 'call_site' || !model.files.has(n.path) || !siteIsCall(n)) continue;
    const at = nameAt(n);
    callSites.set(`${n.path}:${at.line}:${at.character}`, n);
  }

  for (const e of graph.edges) {
    if (e.kind !== 'calls') continue;
    const site = byId.get(e.source);
    const target = byId.get(e.target);
    if (!site || !target || !model.files.has(site.path)) continue;
    if (!siteIsCall(site)) {
      const source = sources.get(site.path);
      const range = site.selectionRange ?? site.range;
      if (source && source.slice(range.start, range.end) === 'super') skipped.superCalls++;
      else skipped.notCallSyntax++;
      continue;
    }
    if (!CALLABLE.has(target.kind) && !holdsFunction(target)) {
      skipped.nonCallableTarget++;
      continue;
    }
    if (!model.files.has(target.path)) {
      skipped.calleeOutOfScope++;
      continue;
    }
    const callee = calleeKey(target);
    if (callee === null) {
      skipped.localCallee++;
      continue;
    }
    const caller = callerKey(owner.get(site.id), site.path);
    const at = nameAt(site);
    const record = { path: site.path, line: at.line, character: at.character };
    add(views.all, caller, callee, record);
    if (!e.ambiguous) add(views.resolved, caller, callee, record);
  }
  return { views, callSites, labels, skipped };
}

function newView() {
  return { edges: new Map(), bySite: new Map() };
}

function add(view, caller, callee, at) {
  const id = `${caller} -> ${callee}`;
  if (!view.edges.has(id)) view.edges.set(id, { caller, callee, sites: [] });
  view.edges.get(id).sites.push(at);
  const siteId = `${at.path}:${at.line}:${at.character}`;
  if (!view.bySite.has(siteId)) view.bySite.set(siteId, { at, caller, callees: new Set() });
  view.bySite.get(siteId).callees.add(callee);
}
