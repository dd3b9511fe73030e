/**
 * @module engine/policy-store
 * The retrieval policy on disk: `policy.json` in the index folder (`<repo>/.rtc/policy.json`), beside the
 * index and the feedback log. A write is atomic (a temporary file in the same folder, flushed, then
 * renamed over the old one), so a reader sees the old policy or the new one, never a mix. A file that
 * cannot be read (corrupt, or written by a newer version) never stops retrieval: it is reported as a
 * warning and the default policy is used. An update reads the newest file, applies the rules of
 * engine/policy-update.ts and writes it back, holding a lock file (`policy.json.lock`, with the writer's
 * pid) so that two processes updating at the same instant both count; a lock whose process is gone, or older
 * than {@link STALE_LOCK_MS}, is taken over, and one held longer than {@link LOCK_WAIT_MS} is passed by with a
 * warning (an update may then be lost: a step of learning, never the file).
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, EngineError } from '../base/index.js';
import type { Logger } from '../base/index.js';
import { emptyPolicy, isNeutralPolicy, parsePolicy } from '../retrieve/index.js';
import type { RetrievalPolicy } from '../retrieve/index.js';
import { recordFeedback } from './feedback.js';
import type { FeedbackInput, FeedbackRecord } from './feedback.js';
import { updatePolicy } from './policy-update.js';
import type { EpisodeItem, EpisodeResult, PolicyEpisode } from './policy-update.js';

export const POLICY_FILE = 'policy.json';
const LOCK_FILE = `${POLICY_FILE}.lock`;
/** How long an update waits for another process's lock. */
export const LOCK_WAIT_MS = 10_000;
/** A lock older than this is left over (its holder updates in milliseconds). */
export const STALE_LOCK_MS = 30_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isStale(path: string): boolean {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Date.now() - statSync(path).mtimeMs > STALE_LOCK_MS) return true;
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written: wait
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // ESRCH: its process is gone; ENOENT: released meanwhile (try again at once).
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ESRCH' || code === 'ENOENT';
  }
}

/** Runs `update` (a read, change and write of the policy) holding the policy's lock file. */
function withPolicyLock<T>(dbDir: string, update: () => T, logger?: Logger): T {
  const path = join(dbDir, LOCK_FILE);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // No lock file can be made here (a read-only folder…): the write itself will say what is wrong.
      if (code !== 'EEXIST') return update();
      if (isStale(path)) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        logger?.warn(`${path} is held by another process: updating the retrieval policy without it`);
        return update();
      }
      sleepSync(2 + Math.random() * 8);
    }
  }
  try {
    return update();
  } finally {
    rmSync(path, { force: true });
  }
}

/** A policy as loaded: the default one (with a warning) when the file is unusable. */
export interface LoadedPolicy {
  policy: RetrievalPolicy;
  /** Whether the file exists (and was read). */
  stored: boolean;
  /** Why the file was not used. */
  warning?: string;
}

/** Reads the policy of an index folder; never throws (a missing file: the default policy, version 0). */
export function loadPolicy(dbDir: string): LoadedPolicy {
  const path = join(dbDir, POLICY_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { policy: emptyPolicy(), stored: false };
    return {
      policy: emptyPolicy(),
      stored: false,
      warning: `${path} could not be read (${(error as Error).message}): using the default policy`,
    };
  }
  try {
    return { policy: parsePolicy(JSON.parse(text) as unknown), stored: true };
  } catch (error) {
    return {
      policy: emptyPolicy(),
      stored: false,
      warning: `${path} is unusable (${(error as Error).message}): using the default policy`,
    };
  }
}

/**
 * The policy as JSON: indented, with each remembered task on one line (a memory of thousands of tasks would
 * otherwise take a line per word).
 */
export function policyText(policy: RetrievalPolicy): string {
  const { memory, ...rest } = policy;
  const head = JSON.stringify(rest, null, 1);
  if (!memory) return `${head}\n`;
  const tasks = memory.tasks.map((task) => `   ${JSON.stringify(task)}`).join(',\n');
  const body = `{\n  "weight": ${JSON.stringify(memory.weight)},\n  "tasks": [${tasks ? `\n${tasks}\n  ` : ''}]\n }`;
  return `${head.slice(0, head.lastIndexOf('}')).replace(/\n$/, '')},\n "memory": ${body}\n}\n`;
}

/** Writes the policy of an index folder atomically. */
export function savePolicy(dbDir: string, policy: RetrievalPolicy): void {
  const path = join(dbDir, POLICY_FILE);
  const temporary = join(dbDir, `${POLICY_FILE}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, policyText(policy));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new EngineError(
      ERROR_CODES.STORE_FAILED,
      `The retrieval policy was not saved to ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Applies `change` to the newest stored policy and saves the result (an unusable file starts afresh). */
export function updateStoredPolicy(
  dbDir: string,
  change: (policy: RetrievalPolicy) => RetrievalPolicy,
  logger?: Logger,
): RetrievalPolicy {
  return withPolicyLock(
    dbDir,
    () => {
      const loaded = loadPolicy(dbDir);
      if (loaded.warning) logger?.warn(loaded.warning);
      const next = change(loaded.policy);
      savePolicy(dbDir, next);
      return next;
    },
    logger,
  );
}

/** Replaces the policy by the default one (its version goes on counting). */
export function resetPolicy(dbDir: string): RetrievalPolicy {
  return updateStoredPolicy(dbDir, (policy) => ({
    ...emptyPolicy(policy.version + 1),
    updatedAt: new Date().toISOString(),
  }));
}

/**
 * Replaces the policy by one exported earlier (`text`: its JSON). The learned contents are taken; the
 * version goes on from the current one. Throws `INVALID_ARGUMENT` for anything that is not a policy.
 */
export function importPolicy(dbDir: string, text: string): RetrievalPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `Not a retrieval policy: invalid JSON (${(error as Error).message})`,
    );
  }
  const imported = parsePolicy(parsed);
  return updateStoredPolicy(dbDir, (policy) => ({
    ...imported,
    version: Math.max(policy.version, imported.version) + 1,
    updatedAt: new Date().toISOString(),
  }));
}

/**
 * The policy of an index folder, for queries: read again when the file changes (a cheap `stat` per call),
 * else the same object (so that retrievers keep what they derived from it). `current()` is undefined while
 * the policy changes nothing. An unusable file is reported once per state of the file.
 */
export class PolicyStore {
  readonly dbDir: string;
  readonly #logger: Logger | undefined;
  #key = '';
  #policy: RetrievalPolicy | undefined;
  #version = 0;

  constructor(dbDir: string, options: { logger?: Logger } = {}) {
    this.dbDir = dbDir;
    this.#logger = options.logger;
  }

  /** The version of the policy in use (0: the default). */
  get version(): number {
    this.current();
    return this.#version;
  }

  /** The policy to query with, or undefined for the default one. */
  current(): RetrievalPolicy | undefined {
    let key: string;
    try {
      const info = statSync(join(this.dbDir, POLICY_FILE));
      key = `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch {
      key = 'none';
    }
    if (key === this.#key) return this.#policy;
    this.#key = key;
    const loaded: LoadedPolicy =
      key === 'none' ? { policy: emptyPolicy(), stored: false } : loadPolicy(this.dbDir);
    if (loaded.warning) this.#logger?.warn(loaded.warning);
    this.#version = loaded.policy.version;
    this.#policy = isNeutralPolicy(loaded.policy) ? undefined : loaded.policy;
    return this.#policy;
  }
}

/** What feedback did: the record appended to the log and the policy it produced. */
export interface FeedbackOutcome {
  record: FeedbackRecord;
  policy: RetrievalPolicy;
}

/**
 * Records feedback (the log, `feedback.jsonl`) and learns from it: useful items move towards +1, the others
 * towards -1; with the ranked `results` of the query it judges, the reward weights and edge priors move
 * too. `pathOf` gives a symbol's file, so that the file learns as well.
 */
export function learnFromFeedback(
  dbDir: string,
  input: FeedbackInput,
  options: {
    results?: readonly EpisodeResult[];
    pathOf?: (id: string) => string | undefined;
    /** How much a negative counts (implicit feedback: weak). */
    negativeWeight?: number;
    /**
     * Relevant items whose values were learned before (implicit positives, when their query's window
     * closes): they take part in the ranking step, their values do not move again.
     */
    learned?: readonly EpisodeItem[];
    logger?: Logger;
  } = {},
): FeedbackOutcome {
  const record = recordFeedback(dbDir, input);
  const item = (entry: { id?: string; path?: string }) => {
    const path = entry.path ?? (entry.id !== undefined ? options.pathOf?.(entry.id) : undefined);
    return { ...(entry.id !== undefined ? { id: entry.id } : {}), ...(path !== undefined ? { path } : {}) };
  };
  const useful = record.items.filter((entry) => entry.useful).map(item);
  const learned = options.learned ?? [];
  const episode: PolicyEpisode = {
    ...(record.query !== undefined ? { query: record.query } : {}),
    source: record.source === 'implicit' ? 'implicit' : 'explicit',
    relevant: [...useful, ...learned],
    irrelevant: record.items.filter((entry) => !entry.useful).map(item),
    ...(useful.length === 0 && learned.length > 0 ? { values: { relevant: false } } : {}),
    at: record.at,
    ...(options.results ? { results: options.results } : {}),
    ...(options.negativeWeight !== undefined ? { negativeWeight: options.negativeWeight } : {}),
  };
  const policy = updateStoredPolicy(dbDir, (current) => updatePolicy(current, episode), options.logger);
  return { record, policy };
}
