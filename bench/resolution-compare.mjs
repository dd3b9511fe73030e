/**
 * Scoring for the resolution benchmark: precision and recall of our (caller -> callee) edges against SCIP's,
 * the same at the level of single call sites, and a reason for each false positive and false negative
 * (found by looking at what the other side says at the same call site), with deterministic samples.
 */

const ratio = (a, b) => (b === 0 ? NaN : a / b);

/** Precision/recall of `ours` (Map id -> edge) against `truth` (Map id -> edge). */
export function score(truth, ours) {
  let matched = 0;
  for (const id of ours.keys()) if (truth.has(id)) matched++;
  return {
    truth: truth.size,
    ours: ours.size,
    matched,
    precision: ratio(matched, ours.size),
    recall: ratio(matched, truth.size),
  };
}

/** The same at the level of (call site, callee) pairs: bySite maps siteId -> {callees: Set}. */
export function scoreSites(truthBySite, oursBySite) {
  const pairs = (bySite) => {
    const set = new Set();
    for (const [site, { callees }] of bySite) for (const c of callees) set.add(`${site} => ${c}`);
    return set;
  };
  const truth = pairs(truthBySite);
  const ours = pairs(oursBySite);
  let matched = 0;
  for (const p of ours) if (truth.has(p)) matched++;
  return {
    truth: truth.size,
    ours: ours.size,
    matched,
    precision: ratio(matched, ours.size),
    recall: ratio(matched, truth.size),
  };
}

const siteId = (s) => `${s.path}:${s.line}:${s.character}`;
export const siteText = (s) => `${s.path}:${s.line + 1}:${s.character + 1}`;

/** Why an edge of ours is not in SCIP's set: the category and a detail, from SCIP's view of its first site. */
export function explainFalsePositive(edge, scip, label) {
  for (const s of edge.sites) {
    const there = scip.bySite.get(siteId(s));
    if (there?.callees.has(edge.callee)) {
      return { site: s, category: 'caller differs', detail: `SCIP's caller: ${label(there.caller)}` };
    }
  }
  const s = edge.sites[0];
  const there = scip.bySite.get(siteId(s));
  if (there) {
    const names = [...there.callees].map(label).join(', ');
    return { site: s, category: 'wrong callee', detail: `SCIP: ${names}` };
  }
  return {
    site: s,
    category: 'SCIP has no in-repo callee here',
    detail: 'SCIP resolves this call outside the repository (library, builtin), to a local, or not at all',
  };
}

/** Why a SCIP edge is missing from ours: what our graph has at its first site. */
export function explainFalseNegative(edge, view, allView, callSites, label) {
  for (const s of edge.sites) {
    const here = view.bySite.get(siteId(s));
    if (here?.callees.has(edge.callee)) {
      return { site: s, category: 'caller differs', detail: `our caller: ${label(here.caller)}` };
    }
  }
  const s = edge.sites[0];
  const id = siteId(s);
  const here = view.bySite.get(id);
  if (here)
    return { site: s, category: 'wrong callee', detail: `ours: ${[...here.callees].map(label).join(', ')}` };
  const candidates = allView.bySite.get(id);
  if (candidates) {
    const hit = candidates.callees.has(edge.callee) ? 'right one among them' : 'right one not among them';
    const names = [...candidates.callees].map(label).join(', ');
    return { site: s, category: 'only ambiguous candidates', detail: `${hit}: ${names}` };
  }
  const site = callSites.get(id);
  if (site)
    return {
      site: s,
      category: 'call site unresolved',
      detail: `callee text: ${site.meta?.callee ?? site.name}`,
    };
  return {
    site: s,
    category: 'no call site in our graph',
    detail: 'our extraction has no call_site at this position',
  };
}

/** Up to `n` items spread evenly over the list (deterministic). */
export function spread(list, n) {
  if (list.length <= n) return list;
  const out = [];
  for (let i = 0; i < n; i++) out.push(list[Math.floor((i * list.length) / n)]);
  return out;
}

/** Counts by category, largest first. */
export function tally(explained) {
  const counts = new Map();
  for (const e of explained) counts.set(e.category, (counts.get(e.category) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

export const fmt = (x) => (Number.isNaN(x) ? '  n/a' : x.toFixed(3));
