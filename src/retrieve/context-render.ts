/**
 * @module retrieve/context-render
 * How the packed context reads: the one-line caption of each excerpt (lines, names, why it was chosen), the
 * reason text, code fences and their language tags, and the markdown and JSON pieces the packer counts.
 */
import { detectLanguage } from '../parse/index.js';
import { REWARD_COMPONENTS } from './types.js';
import type { Reason } from './types.js';

/** @internal An excerpt as the renderers see it: zero-based inclusive lines and the symbols it shows, best first. */
export interface ExcerptView {
  readonly start: number;
  readonly end: number;
  readonly mode: 'body' | 'signature';
  readonly members: readonly { name: string; kind: string; reason: Reason }[];
}

/** How many names and reasons a caption spells out before `+N more` (the structured items keep them all). */
const CAPTION_NAMES = 3;
const CAPTION_REASONS = 2;

/** Languages without a parser that still deserve a fence tag. */
const EXTRA_FENCE_TAGS: Record<string, string> = {
  '.md': 'markdown',
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.toml': 'toml',
  '.sh': 'bash',
  '.kt': 'kotlin',
  '.swift': 'swift',
  '.scala': 'scala',
  '.sql': 'sql',
  '.html': 'html',
  '.css': 'css',
};

/** The fence tag of a path: the language id for parsed languages, a common tag for a few others, or `''`. */
export function fenceLanguage(path: string): string {
  const language = detectLanguage(path);
  if (language) return language.id;
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot > 0 ? (EXTRA_FENCE_TAGS[base.slice(dot)] ?? '') : '';
}

/** One reason in a few words: `route explain; entry Foo.bar (lexical) → calls baz; semantic 0.42, symbol 0.30`. */
export function formatReason(reason: Reason): string {
  const parts = [`route ${reason.route}`];
  const steps = (reason.path ?? []).map((step) => `→ ${step.edge} ${step.name}`);
  if (reason.entry)
    parts.push(
      steps.length === 0
        ? `entry point (${reason.entry.via})`
        : `entry ${reason.entry.name} (${reason.entry.via}) ${steps.join(' ')}`,
    );
  else if (steps.length > 0) parts.push(steps.join(' '));
  const rewards = reason.rewards ?? {};
  const scored = REWARD_COMPONENTS.flatMap((component) => {
    const value = rewards[component];
    return value === undefined ? [] : [`${component} ${value.toFixed(2)}`];
  });
  if (scored.length > 0) parts.push(scored.join(', '));
  return parts.join('; ');
}

/** Captions are rebuilt as excerpts grow; each reason is formatted once (reasons are read as immutable). */
const REASON_TEXTS = new WeakMap<Reason, string>();

function reasonText(reason: Reason): string {
  let text = REASON_TEXTS.get(reason);
  if (text === undefined) {
    text = formatReason(reason);
    REASON_TEXTS.set(reason, text);
  }
  return text;
}

/** @internal `lines 120–158 · LexicalIndex.search (method) · why: route explain; entry point (lexical)`. */
export function caption(excerpt: ExcerptView, declarationEnd: number): string {
  const first = excerpt.start + 1;
  const last = (excerpt.mode === 'body' ? excerpt.end : declarationEnd) + 1;
  const where =
    (last > first ? `lines ${first}–${last}` : `line ${first}`) +
    (excerpt.mode === 'signature' ? ' (signature)' : '');
  const names = excerpt.members.map((member) => `${member.name} (${member.kind})`);
  const reasons = [...new Set(excerpt.members.map((member) => reasonText(member.reason)))];
  const text = `${where} · ${capped(names, CAPTION_NAMES, ', ')} · why: ${capped(reasons, CAPTION_REASONS, ' | ')}`;
  return text.replace(/[\r\n]+/g, ' ');
}

function capped(values: readonly string[], limit: number, separator: string): string {
  const shown = values.slice(0, limit).join(separator);
  return values.length > limit ? `${shown} +${values.length - limit} more` : shown;
}

/** @internal A backtick fence longer than any backtick run in the code, so the code cannot close it. */
export function fenceFor(code: string): string {
  if (!code.includes('```')) return '```';
  let longest = 0;
  for (const run of code.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** @internal The markdown heading of a file; every file but the first is preceded by a blank line. */
export function markdownHeader(path: string, first: boolean): string {
  return `${first ? '' : '\n'}### ${path}\n`;
}

/** @internal The markdown of one excerpt: its caption, then its code in a fence tagged with the file's language. */
export function markdownExcerpt(
  captionText: string,
  language: string,
  code: string,
  fence: string = fenceFor(code),
): string {
  return `${captionText}\n${fence}${language}\n${code}\n${fence}\n`;
}

/** @internal The JSON form of one excerpt, as it appears in the `excerpts` list of its file. */
export interface JsonExcerpt {
  startLine: number;
  endLine: number;
  mode: 'body' | 'signature';
  names: string[];
  reasons: Reason[];
  code: string;
}

/** @internal The JSON form of a packed context. */
export interface JsonContext {
  budget: number;
  files: { path: string; language: string; excerpts: JsonExcerpt[] }[];
}
