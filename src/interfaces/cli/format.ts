/**
 * @module interfaces/cli/format
 * Text renderings of engine results for people. Scripts use `--json` instead.
 */
import type {
  IndexReport,
  CallRelation,
  GraphNode,
  ReferenceSite,
  WorkspaceSummary,
} from '../../engine/index.js';

/** `path:line` with a one-based line. */
export function where(node: { path: string; range: { start: { line: number } } }): string {
  return `${node.path}:${node.range.start.line + 1}`;
}

export function formatSymbol(node: GraphNode): string {
  const signature = node.signature && node.signature !== node.name ? `  ${node.signature}` : '';
  return `${node.kind.padEnd(10)} ${node.qualifiedName.padEnd(32)} ${where(node)}${signature ? `\n${' '.repeat(11)}${signature}` : ''}`;
}

function confidence(relation: { confidence: number; ambiguous: boolean }): string {
  return relation.ambiguous ? ` (ambiguous, confidence ${relation.confidence.toFixed(2)})` : '';
}

export function formatCallers(symbol: GraphNode, calls: CallRelation[]): string {
  const lines = [
    `${symbol.kind} ${symbol.qualifiedName} (${where(symbol)}): ${calls.length} caller${calls.length === 1 ? '' : 's'}`,
  ];
  for (const call of calls) {
    const caller = call.caller ? `${call.caller.kind} ${call.caller.qualifiedName}` : '(top level)';
    lines.push(`  ${caller}  ${where(call.site)}  ${call.site.name}(…)${confidence(call)}`);
  }
  return lines.join('\n');
}

export function formatCallees(symbol: GraphNode, calls: CallRelation[]): string {
  const lines = [
    `${symbol.kind} ${symbol.qualifiedName} (${where(symbol)}): ${calls.length} call${calls.length === 1 ? '' : 's'}`,
  ];
  for (const call of calls) {
    const target = call.callee
      ? `${call.callee.kind} ${call.callee.qualifiedName} (${where(call.callee)})`
      : 'unresolved';
    lines.push(`  ${where(call.site)}  ${call.calleeText}(…) → ${target}${confidence(call)}`);
  }
  return lines.join('\n');
}

export function formatReferences(symbol: GraphNode, references: ReferenceSite[]): string {
  const lines = [
    `${symbol.kind} ${symbol.qualifiedName} (${where(symbol)}): ${references.length} reference${references.length === 1 ? '' : 's'}`,
  ];
  for (const ref of references) {
    const sure = ref.confidence < 1 ? ` (confidence ${ref.confidence.toFixed(2)})` : '';
    lines.push(
      `  ${ref.path}:${ref.range.start.line + 1}  ${ref.kind.padEnd(10)} in ${ref.from.kind} ${ref.from.qualifiedName}${sure}`,
    );
  }
  return lines.join('\n');
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

export function formatSummary(summary: WorkspaceSummary): string {
  const lines = [
    summary.root,
    `  ${summary.files} files, ${summary.lines} lines, ${(summary.bytes / 1e6).toFixed(2)} MB`,
    `  ${summary.nodes} nodes, ${summary.edges} edges`,
    `  by language: ${Object.entries(summary.byLanguage)
      .map(([lang, s]) => `${lang} ${s.files}`)
      .join(', ')}`,
    `  nodes: ${Object.entries(summary.nodesByKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    `  edges: ${Object.entries(summary.edgesByKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  ];
  for (const [what, counts] of Object.entries(summary.resolution)) {
    const total = counts.resolved + counts.ambiguous + counts.unresolved + counts.external;
    lines.push(
      `  ${what}: ${counts.resolved} resolved (${percent(counts.resolved, total)}), ${counts.ambiguous} ambiguous, ${counts.unresolved} unresolved, ${counts.external} external`,
    );
  }
  if (summary.skipped.length > 0) {
    lines.push(`  skipped ${summary.skipped.length}:`);
    for (const s of summary.skipped.slice(0, 20))
      lines.push(`    ${s.path}: ${s.reason}${s.detail ? ` (${s.detail})` : ''}`);
    if (summary.skipped.length > 20) lines.push(`    … ${summary.skipped.length - 20} more (see --json)`);
  }
  const times = Object.entries(summary.timings)
    .filter(([name]) => name !== 'totalMs')
    .map(([name, ms]) => `${name.replace(/Ms$/, '')} ${ms.toFixed(0)} ms`);
  if (times.length > 0) lines.push(`  time${summary.index ? ' (last run)' : ''}: ${times.join(', ')}`);
  const index = summary.index;
  if (index) {
    lines.push(
      `  index: ${index.dir}, ${(index.sizeBytes / 1e6).toFixed(1)} MB on disk, generation ${index.generation}, schema ${index.schema}, written ${index.indexedAt}`,
      `  lexical index: ${index.lexicalSymbols} symbols`,
    );
  }
  return lines.join('\n');
}

/** The summary of an index run. */
export function formatIndexReport(report: IndexReport): string {
  const f = report.files;
  const t = report.timings;
  const lines = [
    report.upToDate
      ? `${report.root}: up to date (${f.total} files, generation ${report.generation})`
      : `${report.root}: indexed into ${report.dbDir} (generation ${report.generation}${report.cold ? ', full' : ''})`,
  ];
  if (!report.upToDate) {
    lines.push(
      `  ${f.total} files: ${f.parsed} parsed (${(report.bytesParsed / 1e6).toFixed(2)} MB), ${f.unchanged} unchanged, ${f.removed} removed, ${f.skipped} skipped`,
      `  re-resolved ${f.resolved} files (${f.parsed} changed, ${f.dependents} dependents)`,
      `  ${report.nodes} nodes, ${report.edges} edges`,
    );
  } else if (f.skipped > 0) lines.push(`  ${f.skipped} files skipped (rtc stats lists them)`);
  const seconds = t.totalMs / 1000;
  lines.push(
    `  ${seconds.toFixed(1)} s: discover ${ms(t.discoverMs)}, hash ${ms(t.hashMs)}, parse ${ms(t.parseMs)}, load ${ms(t.loadMs)}, resolve ${ms(t.resolveMs)}, write ${ms(t.writeMs)} (build ${ms(t.buildMs)}, store ${ms(t.storeMs)}, lexical ${ms(t.lexicalMs)})` +
      (f.parsed > 0 && t.parseMs > 0
        ? ` (${(report.bytesParsed / 1e6 / (t.parseMs / 1000)).toFixed(2)} MB/s parsing)`
        : ''),
  );
  return lines.join('\n');
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}
