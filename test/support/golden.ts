/**
 * @module test/support/golden
 * Golden files a reviewer can read: each source line (indented by two spaces) is followed by annotation lines
 * whose carets point at a declaration's name, a call, a reference or an import, in the style of
 * scip-typescript snapshots. The file ends with its data-flow edges.
 */
import type { Range } from '../../src/base/index.js';
import type { Asg, AsgEdge, AsgNode } from '../../src/graph/index.js';

const HIDDEN_KINDS = new Set(['module', 'type', 'return_value', 'call_site', 'import']);

function where(node: AsgNode, from: string): string {
  if (!node.path) return '';
  return node.path === from
    ? ` (line ${node.range.start.line + 1})`
    : ` (${node.path}:${node.range.start.line + 1})`;
}

function target(node: AsgNode | undefined, edge: AsgEdge, from: string): string {
  if (!node) return '?';
  const name =
    node.kind === 'module' ? `module ${node.path}` : `${node.kind} ${node.qualifiedName}${where(node, from)}`;
  return edge.ambiguous ? `${name} [ambiguous ${(edge.confidence ?? 0).toFixed(2)}]` : name;
}

function flowLabel(node: AsgNode | undefined, from: string): string {
  if (!node) return '?';
  if (node.kind === 'call_site')
    return `call ${node.name}(…)${node.path === from ? ` @${node.range.start.line + 1}` : ` @${node.path}:${node.range.start.line + 1}`}`;
  return `${node.kind} ${node.qualifiedName}${node.path !== from ? ` (${node.path})` : ''}`;
}

interface Note {
  range: Range;
  text: string;
}

/** The annotated golden text of one file of an ASG. */
export function renderGolden(asg: Asg, path: string, text: string, language: string): string {
  const marker = language === 'python' || language === 'ruby' ? '#' : '//';
  const notes: Note[] = [];
  for (const node of asg.nodes.values()) {
    if (node.path !== path) continue;
    if (!HIDDEN_KINDS.has(node.kind) && node.selectionRange) {
      const extras: string[] = [];
      if (node.exported) extras.push('exported');
      if (node.typeText && node.kind !== 'function' && node.kind !== 'method')
        extras.push(`: ${node.typeText}`);
      for (const edge of asg.outgoing(node.id)) {
        if (edge.kind === 'extends' || edge.kind === 'implements')
          extras.push(`${edge.kind} ${target(asg.nodes.get(edge.target), edge, path)}`);
      }
      if (node.meta?.receiver) extras.push('receiver');
      notes.push({
        range: node.selectionRange,
        text: `def ${node.kind} ${node.qualifiedName}${extras.length > 0 ? ` ${extras.join(', ')}` : ''}`,
      });
    }
    if (node.kind === 'call_site') {
      const calls = asg.outgoing(node.id, 'calls');
      const text =
        calls.length === 0
          ? 'call (unresolved)'
          : calls.map((e) => `call → ${target(asg.nodes.get(e.target), e, path)}`).join('; ');
      notes.push({ range: node.selectionRange ?? node.range, text });
    }
    if (node.kind === 'import') {
      const imports = asg.outgoing(node.id, 'imports');
      const text =
        imports.length === 0
          ? `import ${node.name} (external or unresolved)`
          : imports
              .map((e) => `import ${node.name} → ${target(asg.nodes.get(e.target), e, path)}`)
              .join('; ');
      notes.push({ range: { start: node.range.start, end: node.range.start }, text });
    }
    for (const edge of asg.outgoing(node.id, 'references')) {
      if (!edge.range) continue;
      notes.push({ range: edge.range, text: `ref → ${target(asg.nodes.get(edge.target), edge, path)}` });
    }
  }
  const byLine = new Map<number, Note[]>();
  for (const note of notes) {
    const list = byLine.get(note.range.start.line) ?? [];
    list.push(note);
    byLine.set(note.range.start.line, list);
  }
  const out: string[] = [];
  text.split('\n').forEach((line, index) => {
    // Tabs are shown as four spaces, so that carets line up under the source (columns count a tab as one).
    const visual = (column: number): number => expandTabs(line.slice(0, column)).length;
    out.push(`  ${expandTabs(line)}`.trimEnd());
    const lineNotes = (byLine.get(index) ?? []).sort(
      (a, b) => a.range.start.character - b.range.start.character || a.text.localeCompare(b.text),
    );
    for (const note of lineNotes) {
      const start = visual(note.range.start.character);
      const width =
        note.range.end.line === note.range.start.line
          ? Math.max(1, visual(note.range.end.character) - start)
          : 1;
      out.push(`${marker.padEnd(2)}${' '.repeat(start)}${'^'.repeat(width)} ${note.text}`);
    }
  });
  const flows = asg.edges
    .filter((e) => e.kind === 'data_flow' && asg.nodes.get(e.target)?.path === path)
    .map(
      (e) =>
        `${marker} data_flow ${flowLabel(asg.nodes.get(e.source), path)} → ${flowLabel(asg.nodes.get(e.target), path)}`,
    )
    .sort();
  if (flows.length > 0) out.push('', ...flows);
  return `${out.join('\n').trimEnd()}\n`;
}

function expandTabs(text: string): string {
  return text.replace(/\t/g, '    ');
}
