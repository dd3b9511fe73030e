/**
 * @module retrieve/context-pack
 * The context manager: packs ranked symbols into a context that fits a token budget. Bodies for the core,
 * signatures for the periphery; a body that does not fit falls back to its signature. Overlapping and adjacent
 * ranges of a file become one excerpt that keeps every reason; files come in the order of their best item,
 * excerpts in line order, each with its path, one-based lines and why it was chosen.
 *
 * Tokens are counted once per excerpt piece (code, then caption and fences) and summed while packing; the
 * rendered text is then counted whole, and in the rare case where the whole counts more than the sum of its
 * pieces the packing is redone against a smaller target, so the result never exceeds the budget.
 */
import type { Range } from '../base/index.js';
import { caption, fenceFor, fenceLanguage, markdownExcerpt, markdownHeader } from './context-render.js';
import type { ExcerptView, JsonContext, JsonExcerpt } from './context-render.js';
import { SourceLines } from './source-lines.js';
import { CODE_CHARS_PER_TOKEN, defaultTokenCounter } from './token-count.js';
import type { TokenCounter } from './token-count.js';
import type { Reason } from './types.js';

/** A ranked symbol offered to the packer. */
export interface ContextCandidate {
  /** Repository-relative path. */
  path: string;
  /** Zero-based, half-open, as `base/Range`. */
  range: Range;
  name: string;
  qualifiedName: string;
  kind: string;
  signature?: string;
  /** Higher is packed first. */
  score: number;
  /** Core items want their body; the periphery gets its signature. */
  core: boolean;
  reason: Reason;
}

export interface PackOptions {
  /** The most tokens the text may have. */
  budget: number;
  /** Default: the real tokenizer (o200k_base). */
  counter?: TokenCounter;
  /** The current text of a repository-relative path, or `undefined` when it cannot be read. */
  readFile: (path: string) => string | undefined;
  /** Default `markdown`. */
  format?: 'markdown' | 'json';
}

/** One excerpt of the packed context. */
export interface PackedItem {
  path: string;
  /** One-based, inclusive. For a signature, the lines of the whole declaration (only its signature is shown). */
  startLine: number;
  endLine: number;
  mode: 'body' | 'signature';
  /** The excerpt's share of the total: its code, caption and fences counted on their own. */
  tokens: number;
  /** Qualified names of the candidates it shows, best first. */
  names: string[];
  /** Their reasons, in the same order. */
  reasons: Reason[];
  /** The code shown: the file's lines for a body, the signatures for a signature. */
  code: string;
}

export interface PackedContext {
  /** The rendered context (markdown or JSON); `''` when nothing fits. */
  text: string;
  /** The exact count of `text` with the counter used; never more than `budget`. */
  tokens: number;
  budget: number;
  /** The counter's name. */
  counter: string;
  /** Excerpts in the order of the text: files by their best item, then lines. */
  items: PackedItem[];
  /** Candidates that appear in no excerpt. */
  omitted: number;
}

interface Member {
  candidate: ContextCandidate;
  rank: number;
}

interface Block {
  /** Zero-based, inclusive. A signature block occupies its first line only. */
  start: number;
  end: number;
  /** The last line of the declarations of a signature block (for the caption and the items). */
  declarationEnd: number;
  mode: 'body' | 'signature';
  members: Member[];
  code: string;
  codeTokens: number;
  wrapperTokens: number;
}

/** A block before it is counted. */
type BlockShape = Omit<Block, 'codeTokens' | 'wrapperTokens'>;

interface FileState {
  path: string;
  lines: SourceLines | undefined;
  language: string;
  blocks: Block[];
  headerTokens: number;
}

/** A change to a file's blocks and what it costs. */
interface Plan {
  remove: Block[];
  add: Block;
  delta: number;
}

/** How many first lines of a range must mention the symbol's name for the range to be trusted. */
const NAME_LINES = 5;
const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;
/** Bodies this many lines apart or less (a blank line, a doc comment) become one excerpt. */
const MERGE_GAP = 2;
/**
 * A piece estimated (at `CODE_CHARS_PER_TOKEN`) at more than this many times the room left (plus the slack) is
 * not counted exactly: it cannot fit. The estimate is within ±25% on 98% of excerpts, so little is lost, and
 * the tokenizer's work goes to what is packed.
 */
const HOPELESS_FACTOR = 1.5;
const HOPELESS_SLACK = 8;

/**
 * Packs candidates into a context of at most `options.budget` tokens: highest score first, bodies for core
 * items while they fit, signatures otherwise, merged per file. Never throws on unreadable or changed files.
 */
export function packContext(items: readonly ContextCandidate[], options: PackOptions): PackedContext {
  const budget = Number.isNaN(options.budget) ? 0 : Math.max(0, Math.floor(options.budget));
  const counter = options.counter ?? defaultTokenCounter();
  const format = options.format === 'json' ? JSON_FORMAT : MARKDOWN_FORMAT;
  const counts = new Map<string, number>();
  const count = (text: string): number => {
    let tokens = counts.get(text);
    if (tokens === undefined) {
      tokens = counter.count(text);
      counts.set(text, tokens);
    }
    return tokens;
  };
  const texts = new Map<string, SourceLines | undefined>();
  const linesOf = (path: string): SourceLines | undefined => {
    if (!texts.has(path)) {
      const text = safeRead(options.readFile, path);
      texts.set(path, text === undefined ? undefined : new SourceLines(text));
    }
    return texts.get(path);
  };
  const ranked = items
    .map((candidate, index) => ({ candidate, index }))
    .sort((a, b) => scoreOf(b.candidate) - scoreOf(a.candidate) || a.index - b.index)
    .map((entry, rank): Member => ({ candidate: entry.candidate, rank }));
  const packer: Packer = { format, count, linesOf, budget };

  let target = budget;
  for (let attempt = 0; ; attempt++) {
    const files = packGreedy(packer, ranked, target);
    if (files.length === 0) {
      // Nothing fits: the empty context (`''`, or JSON with no files when that fits).
      const empty = format.render([], budget);
      const text = count(empty) <= budget ? empty : '';
      return result(packer, [], text, counter.count(text), counter, ranked.length);
    }
    const text = format.render(files, budget);
    const tokens = counter.count(text);
    if (tokens <= budget) return result(packer, files, text, tokens, counter, ranked.length);
    // The whole counted more than its pieces: aim lower, faster after a few tries.
    const excess = tokens - budget;
    target = attempt < 4 ? target - Math.max(1, excess) : Math.floor(target / 2) - excess;
  }
}

interface Packer {
  format: Format;
  count: (text: string) => number;
  linesOf: (path: string) => SourceLines | undefined;
  budget: number;
}

function packGreedy(packer: Packer, ranked: readonly Member[], target: number): FileState[] {
  const files = new Map<string, FileState>();
  let used = packer.count(packer.format.render([], packer.budget));
  for (const member of ranked) {
    const path = member.candidate.path;
    let file = files.get(path);
    const isNew = file === undefined;
    file ??= newFile(packer, path, files.size === 0);
    const room = target - used - (isNew ? file.headerTokens : 0);
    const plan = planPlacement(packer, file, member, room);
    if (!plan) continue;
    if (isNew) {
      files.set(path, file);
      used += file.headerTokens;
    }
    file.blocks = [...file.blocks.filter((block) => !plan.remove.includes(block)), plan.add].sort(
      (a, b) => a.start - b.start,
    );
    used += plan.delta;
  }
  return [...files.values()];
}

function newFile(packer: Packer, path: string, first: boolean): FileState {
  const file: FileState = {
    path,
    lines: packer.linesOf(path),
    language: fenceLanguage(path),
    blocks: [],
    headerTokens: 0,
  };
  file.headerTokens = packer.count(packer.format.header(file, first));
  return file;
}

/** The body when wanted and it fits, else the signature; `undefined` when neither fits. */
function planPlacement(packer: Packer, file: FileState, member: Member, room: number): Plan | undefined {
  if (member.candidate.core) {
    const span = trustedSpan(file.lines, member.candidate);
    if (span) {
      const plan = price(packer, file, draftBody(file, member, span), room);
      if (plan) return plan;
    }
  }
  return price(packer, file, draftSignature(file, member), room);
}

/** A block not yet counted, with the blocks it replaces. Code kept from an old block keeps its count. */
interface Draft {
  remove: Block[];
  block: BlockShape & { codeTokens?: number };
}

/** The body's lines, grown over the bodies it overlaps or touches; signatures inside it join it. */
function draftBody(file: FileState, member: Member, span: { start: number; end: number }): Draft {
  let { start, end } = span;
  const remove = new Set<Block>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const block of file.blocks) {
      if (remove.has(block) || block.mode !== 'body') continue;
      if (block.start > end + 1 + MERGE_GAP || block.end < start - 1 - MERGE_GAP) continue;
      remove.add(block);
      if (block.start < start || block.end > end) grew = true;
      start = Math.min(start, block.start);
      end = Math.max(end, block.end);
    }
  }
  for (const block of file.blocks)
    if (block.mode === 'signature' && block.start >= start && block.start <= end) remove.add(block);
  const removed = [...remove];
  const members = [...removed.flatMap((block) => block.members), member].sort((a, b) => a.rank - b.rank);
  const container = removed.find(
    (block) => block.mode === 'body' && block.start === start && block.end === end,
  );
  const code = container?.code ?? file.lines?.slice(start, end) ?? '';
  const block = { start, end, declarationEnd: end, mode: 'body' as const, members, code };
  return { remove: removed, block: container ? { ...block, codeTokens: container.codeTokens } : block };
}

/** The signature on its own line, or joining the body that contains its line or a signature on the same line. */
function draftSignature(file: FileState, member: Member): Draft {
  const line = member.candidate.range.start.line;
  const host = file.blocks.find((block) =>
    block.mode === 'body' ? block.start <= line && line <= block.end : block.start === line,
  );
  if (host?.mode === 'body')
    return { remove: [host], block: { ...host, members: [...host.members, member] } };
  const signature = signatureText(file.lines, member.candidate);
  const declarationEnd = Math.max(line, lastLine(member.candidate.range), host?.declarationEnd ?? line);
  const block = {
    start: line,
    end: line,
    declarationEnd,
    mode: 'signature' as const,
    members: host ? [...host.members, member] : [member],
    code: host ? [...new Set([...host.code.split('\n'), signature])].join('\n') : signature,
  };
  return { remove: host ? [host] : [], block };
}

/**
 * What a draft costs, or `undefined` when it cannot fit in `room`. The estimate screens first, so the
 * tokenizer only runs on what may fit.
 */
function price(packer: Packer, file: FileState, draft: Draft, room: number): Plan | undefined {
  const freed = draft.remove.reduce((sum, block) => sum + tokensOf(block), 0);
  const codeText = draft.block.codeTokens === undefined ? packer.format.code(draft.block.code) : undefined;
  const wrapperText = packer.format.wrapper(file, draft.block);
  const estimate =
    (draft.block.codeTokens ?? estimateTokens(codeText ?? '')) + estimateTokens(wrapperText) - freed;
  if (estimate > HOPELESS_FACTOR * room + HOPELESS_SLACK) return undefined;
  const add: Block = {
    ...draft.block,
    codeTokens: draft.block.codeTokens ?? packer.count(codeText ?? ''),
    wrapperTokens: packer.count(wrapperText),
  };
  const delta = tokensOf(add) - freed;
  return delta <= room ? { remove: draft.remove, add, delta } : undefined;
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / CODE_CHARS_PER_TOKEN);
}

function tokensOf(block: Block): number {
  return block.codeTokens + block.wrapperTokens;
}

/** The zero-based lines of a candidate's range in the current file, unless the file is missing or changed. */
function trustedSpan(
  lines: SourceLines | undefined,
  candidate: ContextCandidate,
): { start: number; end: number } | undefined {
  const start = candidate.range.start.line;
  const end = Math.max(start, lastLine(candidate.range));
  if (!lines?.has(start) || !lines.has(end)) return undefined;
  const name = candidate.name;
  if (IDENTIFIER.test(name) && !lines.slice(start, Math.min(end, start + NAME_LINES - 1)).includes(name))
    return undefined;
  return { start, end };
}

/** The last line a half-open range covers: a range ending at column 0 stops on the line before. */
function lastLine(range: Range): number {
  return range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
}

function signatureText(lines: SourceLines | undefined, candidate: ContextCandidate): string {
  const signature = candidate.signature?.trim();
  if (signature) return signature;
  const line = candidate.range.start.line;
  const first = trustedSpan(lines, candidate) ? lines?.slice(line, line).trim() : undefined;
  return first || `${candidate.kind} ${candidate.qualifiedName}`;
}

function scoreOf(candidate: ContextCandidate): number {
  return Number.isFinite(candidate.score) ? candidate.score : Number.NEGATIVE_INFINITY;
}

function safeRead(readFile: (path: string) => string | undefined, path: string): string | undefined {
  try {
    const text = readFile(path);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

function viewOf(block: BlockShape): ExcerptView {
  return {
    start: block.start,
    end: block.end,
    mode: block.mode,
    members: block.members.map(({ candidate }) => ({
      name: candidate.qualifiedName,
      kind: candidate.kind,
      reason: candidate.reason,
    })),
  };
}

function jsonExcerpt(block: BlockShape, code: string): JsonExcerpt {
  return {
    startLine: block.start + 1,
    endLine: (block.mode === 'body' ? block.end : block.declarationEnd) + 1,
    mode: block.mode,
    names: block.members.map((member) => member.candidate.qualifiedName),
    reasons: block.members.map((member) => member.candidate.reason),
    code,
  };
}

function result(
  packer: Packer,
  files: readonly FileState[],
  text: string,
  tokens: number,
  counter: TokenCounter,
  candidates: number,
): PackedContext {
  const items = files.flatMap((file) =>
    file.blocks.map((block): PackedItem => {
      const { startLine, endLine, mode, names, reasons, code } = jsonExcerpt(block, block.code);
      return { path: file.path, startLine, endLine, mode, tokens: tokensOf(block), names, reasons, code };
    }),
  );
  const shown = items.reduce((sum, item) => sum + item.names.length, 0);
  return { text, tokens, budget: packer.budget, counter: counter.name, items, omitted: candidates - shown };
}

/** The pieces of one output format: what the packer counts, and the final text. */
interface Format {
  /** A file's heading (and what closes it). */
  header(file: FileState, first: boolean): string;
  /** The code as it appears in the text. */
  code(code: string): string;
  /** An excerpt without its code: caption and fences, or the JSON around the code. */
  wrapper(file: FileState, block: BlockShape): string;
  render(files: readonly FileState[], budget: number): string;
}

const MARKDOWN_FORMAT: Format = {
  header: (file, first) => markdownHeader(file.path, first),
  code: (code) => code,
  wrapper: (file, block) =>
    markdownExcerpt(caption(viewOf(block), block.declarationEnd), file.language, '', fenceFor(block.code)),
  render: (files) =>
    files
      .map(
        (file, index) =>
          markdownHeader(file.path, index === 0) +
          file.blocks
            .map((block) =>
              markdownExcerpt(caption(viewOf(block), block.declarationEnd), file.language, block.code),
            )
            .join(''),
      )
      .join(''),
};

const JSON_FORMAT: Format = {
  header: (file) => `${JSON.stringify({ path: file.path, language: file.language, excerpts: [] })},`,
  code: (code) => JSON.stringify(code),
  wrapper: (_file, block) => `${JSON.stringify(jsonExcerpt(block, ''))},`,
  render: (files, budget) => {
    const context: JsonContext = {
      budget,
      files: files.map((file) => ({
        path: file.path,
        language: file.language,
        excerpts: file.blocks.map((block) => jsonExcerpt(block, block.code)),
      })),
    };
    return JSON.stringify(context);
  },
};
