/**
 * @module test/eval/learn
 * Learning from history on a real git repository: `learnFromGit` replays the commits on their parent trees
 * with the real `Workspace.query`, learns from them and saves the policy when the held-out commits score no
 * worse; it never saves a worse one (a stand-in query whose ranking gets worse under any learned policy);
 * the same history gives the same policy; the harness's learning mode reports the learned, the default and
 * BM25 rows on the later commits; and `rtc learn --from-git` prints its summary.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnFromGit, LEARNED_SYSTEM, runEval } from '../../src/engine/eval/index.js';
import type { EvalQuery, LearnReport } from '../../src/engine/eval/index.js';
import { loadPolicy } from '../../src/engine/index.js';
import type { QueryResult } from '../../src/engine/index.js';
import { createHistoryRepo } from './history-repo.js';
import type { HistoryRepo } from './history-repo.js';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
let repo: HistoryRepo;
let scratch: string;

beforeAll(() => {
  repo = createHistoryRepo();
  scratch = mkdtempSync(join(tmpdir(), 'rtc-learn-'));
});

afterAll(() => {
  rmSync(repo.dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('learnFromGit', () => {
  let report: LearnReport;
  const dbDir = (): string => join(scratch, 'index-a');

  beforeAll(async () => {
    report = await learnFromGit(repo.dir, { dbDir: dbDir(), work: join(scratch, 'work-a') });
  });

  it('replays the older commits and scores the most recent one held out', () => {
    // Instances, oldest first: negative, tokens (learned from); normalize (held out).
    expect(report.training).toBe(2);
    expect(report.heldOut).toBe(1);
    expect(report.episodes).toBe(2);
    expect(report.before.instances).toBe(1);
    expect(report.after.instances).toBe(1);
    expect(report.startVersion).toBe(0);
  });

  it('saves the learned policy when it is not worse on the held-out commit', () => {
    const notWorse =
      report.after.acc > report.before.acc ||
      (report.after.acc === report.before.acc && report.after.mrr >= report.before.mrr);
    expect(notWorse).toBe(true);
    expect(report.saved).toBe(true);
    expect(report.policyFile).toBe(join(dbDir(), 'policy.json'));
    const { policy, stored } = loadPolicy(dbDir());
    expect(stored).toBe(true);
    expect(policy.version).toBe(report.version);
    expect(policy.version).toBe(3);
    expect(policy.episodes.history).toBe(2);
    // The files the learned commits changed are relevant; a symbol that the first commit changed too.
    expect(policy.files['src/calc.ts']?.value).toBeGreaterThan(0);
    expect(policy.files['src/parser.ts']?.value).toBeGreaterThan(0);
    expect(Object.values(policy.nodes).some((estimate) => estimate.value > 0)).toBe(true);
  });

  it('learns the same policy from the same history', async () => {
    const again = await learnFromGit(repo.dir, {
      dbDir: join(scratch, 'index-b'),
      work: join(scratch, 'work-b'),
    });
    expect(again.saved).toBe(true);
    expect(again.before).toEqual(report.before);
    expect(again.after).toEqual(report.after);
    expect(readFileSync(join(scratch, 'index-b', 'policy.json'), 'utf8')).toBe(
      readFileSync(join(dbDir(), 'policy.json'), 'utf8'),
    );
  });

  it('learns value estimates only unless asked for weights too', async () => {
    const dir = join(scratch, 'index-values');
    const values = await learnFromGit(repo.dir, {
      dbDir: dir,
      work: join(scratch, 'work-values'),
    });
    expect(values.episodes).toBe(2);
    const { policy } = loadPolicy(dir);
    expect(policy.weights).toEqual({});
    expect(policy.edges).toEqual({});
    expect(policy.files['src/calc.ts']?.value).toBeGreaterThan(0);
  });

  it('starts from the stored policy and goes on counting its version', async () => {
    const next = await learnFromGit(repo.dir, { dbDir: dbDir(), work: join(scratch, 'work-a') });
    expect(next.startVersion).toBe(3);
    expect(next.saved).toBe(true);
    expect(loadPolicy(dbDir()).policy.version).toBe(6);
  });

  it('remembers the history as a task memory, never showing a held-out commit its own task', async () => {
    const seen: { text: string; keys: string[] }[] = [];
    const recording: EvalQuery = (workspace, text, options) => {
      seen.push({ text, keys: (options.policy?.memory?.tasks ?? []).map((task) => task.key ?? '') });
      return workspace.query(text, options);
    };
    const dir = join(scratch, 'index-memory');
    const learned = await learnFromGit(repo.dir, {
      dbDir: dir,
      work: join(scratch, 'work-memory'),
      query: recording,
    });
    // The held-out commit (normalize) was asked with the memory at several weights, none knowing it.
    const heldOut = seen.filter((query) => query.text.startsWith('Trim surrounding whitespace'));
    expect(heldOut.filter((query) => query.keys.length > 0).length).toBeGreaterThanOrEqual(3);
    for (const query of heldOut) expect(query.keys).not.toContain(repo.commits.normalize);
    expect(heldOut.flatMap((query) => query.keys)).toContain(repo.commits.negative);
    // The policy kept remembers every descriptive commit that touched source files, the held-out one too;
    // chores (the version bump, the typo fix) and commits without source files are left out.
    expect(learned.memoryWeight).toBeDefined();
    const { policy } = loadPolicy(dir);
    const keys = policy.memory?.tasks.map((task) => task.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        repo.commits.initial,
        repo.commits.negative,
        repo.commits.tokens,
        repo.commits.normalize,
      ]),
    );
    for (const name of ['bump', 'typo', 'config', 'tests', 'merge'])
      expect(keys).not.toContain(repo.commits[name]);
    expect(policy.memory?.weight).toBe(learned.memoryWeight);
    expect(learned.memoryTasks).toBe(keys?.length);
  });

  it('scores the task memory on every commit, each knowing the tasks before it, when nothing is replayed', async () => {
    const seen: { text: string; keys: string[] }[] = [];
    const recording: EvalQuery = (workspace, text, options) => {
      seen.push({ text, keys: (options.policy?.memory?.tasks ?? []).map((task) => task.key ?? '') });
      return workspace.query(text, options);
    };
    const memoryOnly = await learnFromGit(repo.dir, {
      dbDir: join(scratch, 'index-memory-only'),
      work: join(scratch, 'work-memory-only'),
      query: recording,
      episode: { values: false },
    });
    expect(memoryOnly.training).toBe(0);
    expect(memoryOnly.episodes).toBe(0);
    expect(memoryOnly.heldOut).toBe(3);
    const { commits } = repo;
    const asked = (prefix: string) => seen.filter((q) => q.text.startsWith(prefix)).flatMap((q) => q.keys);
    // The first instance knows only the initial commit; the later ones more, never their own or later ones.
    expect(new Set(asked('Handle negative numbers'))).toEqual(new Set([commits.initial]));
    expect(asked('Split tokens')).toContain(commits.negative);
    expect(asked('Split tokens')).not.toContain(commits.tokens);
    expect(asked('Split tokens')).not.toContain(commits.normalize);
    expect(asked('Trim surrounding whitespace')).toContain(commits.tokens);
    expect(asked('Trim surrounding whitespace')).not.toContain(commits.normalize);
  });

  it('never saves a policy that scores worse on the held-out commits', async () => {
    // Ranks the gold files of every commit first under the default policy, and last under a learned one.
    const gold: Record<string, string[]> = {};
    for (const commit of modifiedFiles(repo.dir)) gold[commit.subject] = commit.files;
    const worseWhenLearned: EvalQuery = (workspace, text, options): QueryResult => {
      const learned =
        Object.keys(options.policy?.files ?? {}).length > 0 ||
        (options.policy?.memory?.tasks.length ?? 0) > 0;
      const wanted = Object.entries(gold).find(([subject]) => text.startsWith(subject))?.[1] ?? [];
      const others = ['src/calc.ts', 'src/parser.ts', 'app/util.py', 'src/version.ts'].filter(
        (path) => !wanted.includes(path),
      );
      const files = learned ? others : [...wanted, ...others];
      return {
        query: text,
        route: 'test',
        files: files.map((path, i) => ({ path, score: 1 / (i + 1) })),
        symbols: files.flatMap((path) => workspace.fileSymbols(path).map((s) => ({ ...s, score: 0.5 }))),
        timings: {},
      };
    };
    const dir = join(scratch, 'index-c');
    const worse = await learnFromGit(repo.dir, {
      dbDir: dir,
      work: join(scratch, 'work-c'),
      query: worseWhenLearned,
    });
    expect(worse.episodes).toBe(2);
    expect(worse.before.acc).toBe(1);
    expect(worse.after).toEqual(worse.before);
    expect(worse.bestEpoch).toBe(0);
    expect(worse.saved).toBe(false);
    expect(worse.version).toBe(0);
    expect(existsSync(join(dir, 'policy.json'))).toBe(false);
  });
});

/** The subject and modified files of each commit of the repository. */
function modifiedFiles(dir: string): { subject: string; files: string[] }[] {
  const text = execFileSync('git', ['-C', dir, 'log', '--format=%x00%s', '--name-only', '--diff-filter=M'], {
    encoding: 'utf8',
  });
  return text
    .split('\0')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [subject = '', ...files] = chunk.split('\n').filter((line) => line !== '');
      return { subject, files };
    });
}

describe('runEval learning mode', () => {
  it('learns on the earlier commits and reports the learned, the default and BM25 rows on the later ones', async () => {
    const memories: { text: string; keys: string[] }[] = [];
    const report = await runEval(repo.dir, {
      work: join(scratch, 'work-eval'),
      learnSplit: 0.6,
      query: (workspace, text, options) => {
        memories.push({ text, keys: (options.policy?.memory?.tasks ?? []).map((task) => task.key ?? '') });
        return workspace.query(text, options);
      },
    });
    expect(report.systems.map((s) => s.system)).toEqual([LEARNED_SYSTEM, 'full', 'bm25']);
    // The task memory knows the history before the tested commit (normalize), never that commit.
    expect(report.learning?.memoryTasks).toBeGreaterThan(0);
    const tested = memories.filter((m) => m.text.startsWith('Trim surrounding whitespace'));
    expect(tested.some((m) => m.keys.includes(repo.commits.negative!))).toBe(true);
    for (const m of memories) expect(m.keys).not.toContain(repo.commits.normalize);
    // 3 candidates: 2 to learn from (1 episode, 1 held out), the most recent to test on.
    expect(report.instances).toBe(1);
    expect(report.learning).toMatchObject({ learnCandidates: 2, testCandidates: 1, episodes: 1 });
    for (const summary of report.systems) {
      expect(summary.instances).toBe(1);
      expect(summary.errors).toBe(0);
    }
    expect(report.table).toContain(LEARNED_SYSTEM);
    expect(report.table).toContain('- Learning: 2 earlier commits');
  });

  it('refuses a split that leaves nothing to test on', async () => {
    await expect(
      runEval(repo.dir, { work: join(scratch, 'work-eval'), learnBefore: '2030-01-01' }),
    ).rejects.toThrow(/Nothing to test on/);
  });
});

describe('rtc learn', () => {
  async function rtc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'src', 'bin', 'rtc.ts'), ...args],
        { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('prints the summary, and saves into the index folder', async () => {
    const db = join(scratch, 'index-cli');
    const text = await rtc('learn', '--from-git', repo.dir, '--db', db, '--work', join(scratch, 'work-cli'));
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Learned from 2 commits (2 episodes, 1 epoch); 1 held out');
    expect(text.stdout).toMatch(/Held out, before: +Acc@5 \d/);
    expect(text.stdout).toMatch(/Held out, learned: Acc@5 \d/);
    expect(text.stdout).toMatch(/Held out, kept: +Acc@5 \d/);
    expect(text.stdout).toContain(`Saved policy version 3 to ${join(db, 'policy.json')}`);
    const json = await rtc(
      'learn',
      '--from-git',
      repo.dir,
      '--db',
      db,
      '--work',
      join(scratch, 'work-cli'),
      '--no-save',
      '--json',
    );
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as LearnReport;
    expect(report.saved).toBe(false);
    expect(report.startVersion).toBe(3);
    expect(report.version).toBe(3);
  });

  it('learns the task memory alone with --no-values', async () => {
    const db = join(scratch, 'index-cli-memory');
    const args = ['learn', '--from-git', repo.dir, '--db', db, '--work', join(scratch, 'work-cli-memory')];
    const text = await rtc(...args, '--no-values');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Task memory: \d+ past commits, weight \d/);
    expect(text.stdout).toMatch(/No replay \(--no-values\): the task memory scored on 3 commits/);
    // Learning the memory alone is a new version too.
    expect(text.stdout).toContain(`Saved policy version 1 to ${join(db, 'policy.json')}`);
    const json = await rtc(...args, '--no-values', '--no-save', '--json');
    const report = JSON.parse(json.stdout) as LearnReport;
    expect(report).toMatchObject({ training: 0, episodes: 0, heldOut: 3 });
    expect(report.memoryTasks).toBeGreaterThan(0);
    expect(loadPolicy(db).policy.memory?.tasks.length).toBe(report.memoryTasks);
  });

  it('asks for the source to learn from', async () => {
    const result = await rtc('learn', repo.dir);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--from-git');
  });
});
