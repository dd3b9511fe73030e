/**
 * @module interfaces/cli/commands/live
 * `rtc watch` (keep the index live: watch the files, apply each change as a graph delta, print it) and
 * `rtc changes` (the change history: uncommitted changes in git and the changes live sessions applied).
 */
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { ERROR_CODES, EngineError } from '../../../base/index.js';
import {
  indexDirOf,
  openLiveWorkspace,
  relativeFolder,
  storedChanges,
  workingTreeChanges,
} from '../../../engine/index.js';
import type { ChangeEntry, GraphDelta } from '../../../engine/index.js';
import type { CliContext, CommonOptions } from '../program.js';

function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected milliseconds (a number ≥ 0)');
  return n;
}

/** `10m`, `2h`, `3d`, `45s` ago, or a date (`2026-11-22`, `2026-11-22T08:00:00Z`): ms since the epoch. */
export function parseSince(value: string, now = Date.now()): number {
  const relative = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/.exec(value.trim());
  if (relative) {
    const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[relative[2] as 's' | 'm' | 'h' | 'd' | 'w'];
    return now - Number(relative[1]) * unit;
  }
  const date = Date.parse(value);
  if (Number.isNaN(date))
    throw new InvalidArgumentError('expected a duration (30s, 10m, 2h, 3d, 1w) or a date (2026-11-22T08:00)');
  return date;
}

/** One line for a delta, in the spirit of `git log --stat`. */
function formatDelta(delta: GraphDelta): string {
  const files = delta.files
    .slice(0, 5)
    .map((f) => `${f.kind === 'added' ? '+' : f.kind === 'removed' ? '-' : '~'}${f.path}`)
    .join(' ');
  const more = delta.files.length > 5 ? ` (+${delta.files.length - 5} more)` : '';
  const { added, removed, updated } = delta.nodes;
  return (
    `v${delta.version}  ${files}${more}  nodes +${added.length} -${removed.length} ~${updated.length}` +
    `  edges +${delta.edges.added.length} -${delta.edges.removed.length}` +
    `  re-resolved ${delta.resolved.length}  ${delta.timings.totalMs.toFixed(1)} ms`
  );
}

function deltaJson(delta: GraphDelta): object {
  return {
    version: delta.version,
    previous: delta.previous,
    files: delta.files,
    resolved: delta.resolved.length,
    nodes: {
      added: delta.nodes.added.length,
      removed: delta.nodes.removed.length,
      updated: delta.nodes.updated.length,
    },
    edges: { added: delta.edges.added.length, removed: delta.edges.removed.length },
    configChanged: delta.configChanged,
    diagnostics: delta.diagnostics.length,
    timings: Object.fromEntries(
      Object.entries(delta.timings).map(([k, v]) => [k, Math.round(v * 100) / 100]),
    ),
  };
}

function formatChange(change: ChangeEntry): string {
  const when = new Date(change.at).toISOString().replace('T', ' ').slice(0, 19);
  const lines = change.lines.map(([a, b]) => (a === b ? `${a + 1}` : `${a + 1}-${b + 1}`)).join(',');
  const nodes = change.nodes
    ? `  nodes +${change.nodes.added} -${change.nodes.removed} ~${change.nodes.updated}`
    : '';
  const version = change.version !== undefined ? ` v${change.version}` : '';
  const symbols = change.symbols
    ? [
        ...change.symbols.added.map((name) => `+${name}`),
        ...change.symbols.removed.map((name) => `-${name}`),
        ...change.symbols.updated.map((name) => `~${name}`),
      ]
    : [];
  const shown =
    symbols.length > 0 ? `  [${symbols.slice(0, 6).join(' ')}${symbols.length > 6 ? ' …' : ''}]` : '';
  return `${when}  ${change.kind.padEnd(7)}  ${change.path}${lines ? `:${lines}` : ''}${nodes}${shown}  (${change.source}${version})`;
}

/** Adds `watch` and `changes` to the program. */
export function registerLiveCommands(program: Command, context: CliContext): void {
  const { io, withCommon, repoOf, indexOptions, print } = context;

  withCommon(
    program
      .command('watch')
      .description(
        'Keep the index live: watch the repository, apply every change (create, edit, rename, delete, branch switch) as a graph delta, and print one line per update (with --json, one JSON object per line)',
      )
      .argument('[dir]', 'the repository (default: the one containing the current folder)')
      .addOption(
        new Option('--debounce <ms>', 'quiet time before a batch of changes is applied')
          .argParser(milliseconds)
          .default(30),
      )
      .addOption(
        new Option('--scan-interval <ms>', 'periodic full scan that catches what events missed (0: off)')
          .argParser(milliseconds)
          .default(30_000),
      )
      .addHelpText(
        'after',
        `
Runs until interrupted (Ctrl-C, SIGTERM), then writes what is pending and exits 0. While it runs it holds
the index's write lock: other rtc commands read the index as the watch keeps it (their --no-refresh is
implied).

Examples:
  rtc watch
  rtc watch --json | jq .timings.totalMs`,
      ),
    true,
    false,
  ).action(
    async (dir: string | undefined, options: CommonOptions & { debounce: number; scanInterval: number }) => {
      const repo = dir ? repoOf({ ...options, repo: dir }) : repoOf(options);
      const live = await openLiveWorkspace(repo, indexOptions(options));
      const stopped = new Promise<string>((done) => {
        const stop = (signal: string) => () => {
          done(signal);
        };
        process.once('SIGINT', stop('SIGINT'));
        process.once('SIGTERM', stop('SIGTERM'));
      });
      try {
        live.onDelta((delta) => {
          if (options.json) io.out(JSON.stringify(deltaJson(delta)));
          else io.out(formatDelta(delta));
        });
        await live.watch({
          debounceMs: options.debounce,
          scanIntervalMs: options.scanInterval,
          onError: (error) => {
            io.err(`rtc: ${error.message}`);
          },
        });
        const opening = live.opening;
        const ready = {
          ready: true,
          root: live.root,
          version: live.version,
          files: opening.files.total,
          nodes: opening.nodes,
        };
        if (options.json) io.out(JSON.stringify(ready));
        else
          io.err(
            `watching ${live.root} (version ${live.version}, ${opening.files.total} files); Ctrl-C to stop`,
          );
        const signal = await stopped;
        if (!options.json) io.err(`${signal}: stopping`);
      } finally {
        await live.close();
      }
    },
  );

  withCommon(
    program
      .command('changes')
      .description(
        'The change history: files changed in the working tree (git, uncommitted) and every change a live session (rtc watch, an editor) applied, oldest first',
      )
      .addOption(
        new Option(
          '--since <time>',
          'only changes after this: a duration ago (30s, 10m, 2h, 3d) or a date',
        ).argParser((value) => parseSince(value)),
      )
      .addOption(new Option('--limit <n>', 'the newest n only').argParser((v) => Number(v)))
      .addHelpText(
        'after',
        `
Examples:
  rtc changes --since 1h
  rtc changes --json --limit 20`,
      ),
    true,
    false,
  ).action(async (options: CommonOptions & { since?: number; limit?: number }) => {
    const repo = repoOf(options);
    const dbDir = indexDirOf(repo, options.db);
    if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit <= 0))
      throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, '--limit expects a positive integer');
    const since = options.since ?? -Infinity;
    const entries: ChangeEntry[] = (await workingTreeChanges(repo, [relativeFolder(repo, dbDir)]))
      .filter((c) => c.at >= since)
      .map((c) => ({ ...c, source: 'git' }));
    for (const record of storedChanges(dbDir, options.since !== undefined ? { since: options.since } : {}))
      entries.push({
        path: record.path,
        kind: record.kind,
        at: record.at,
        lines: record.lines,
        nodes: record.nodes,
        ...(record.symbols ? { symbols: record.symbols } : {}),
        version: record.generation,
        source: record.source,
      });
    entries.sort((a, b) => a.at - b.at);
    const shown = options.limit !== undefined ? entries.slice(-options.limit) : entries;
    print(options, { changes: shown }, () =>
      shown.length === 0 ? 'no changes' : shown.map(formatChange).join('\n'),
    );
  });
}
