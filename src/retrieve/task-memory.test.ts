/**
 * @module retrieve/task-memory.test
 * The task memory: the words of a task, what is remembered (and what is not), recall of the past tasks most
 * like a query by BM25, and the scores of the files they touched.
 */
import { describe, expect, it } from 'vitest';
import {
  emptyMemory,
  isActiveMemory,
  MAX_TASK_FILES,
  MAX_TASKS,
  recallFiles,
  recallTasks,
  rememberTasks,
  taskTerms,
} from './task-memory.js';
import type { RememberedTask } from './task-memory.js';

function task(text: string, files: string[], at: number, key?: string): RememberedTask {
  return { terms: taskTerms(text), files, source: 'history', at, ...(key !== undefined ? { key } : {}) };
}

describe('the task memory', () => {
  it('takes the words of a task, without stop words and numbers', () => {
    expect(taskTerms('fix(router): Support the parseHeaders option in #4512')).toEqual([
      'router',
      'parseheaders',
      'parse',
      'headers',
      'option',
    ]);
    expect(taskTerms('1 2 3 the a')).toEqual([]);
  });

  it('remembers tasks with words and a few files, oldest first, a known key replacing its task', () => {
    let memory = rememberTasks(undefined, [
      task('cookie parsing of signed cookies', ['src/cookie.ts'], 2, 'b'),
      task('router matches wildcard paths', ['src/router.ts'], 1, 'a'),
      task('', ['src/x.ts'], 3),
      task('words but no files', [], 4),
      task(
        'too many files',
        Array.from({ length: MAX_TASK_FILES + 1 }, (_, i) => `f${i}.ts`),
        5,
      ),
    ]);
    expect(memory.tasks.map((t) => t.key)).toEqual(['a', 'b']);
    expect(memory.weight).toBe(1);
    memory = rememberTasks(memory, [task('cookie parsing, again', ['src/cookie2.ts'], 6, 'b')]);
    expect(memory.tasks.map((t) => [t.key, t.files[0]])).toEqual([
      ['a', 'src/router.ts'],
      ['b', 'src/cookie2.ts'],
    ]);
    expect(isActiveMemory(memory)).toBe(true);
    expect(isActiveMemory({ ...memory, weight: 0 })).toBe(false);
    expect(isActiveMemory(emptyMemory())).toBe(false);
  });

  it('keeps the most recent tasks past the cap', () => {
    const many = Array.from({ length: MAX_TASKS + 10 }, (_, i) => task(`task number ${i} words`, ['a.ts'], i));
    const memory = rememberTasks(undefined, many);
    expect(memory.tasks).toHaveLength(MAX_TASKS);
    expect(memory.tasks[0]!.at).toBe(10);
  });

  it('recalls the past tasks most like a query, and the files they touched', () => {
    const memory = rememberTasks(undefined, [
      task('router: match wildcard paths with trailing slash', ['src/router/trie.ts'], 1),
      task('cookie: parse signed cookies', ['src/helper/cookie.ts', 'src/utils/crypto.ts'], 2),
      task('router: faster wildcard matching', ['src/router/trie.ts', 'src/router/node.ts'], 3),
      task('jsx: render fragments', ['src/jsx/render.ts'], 4),
    ]);
    const recalled = recallTasks(memory, 'wildcard route with a trailing slash is not matched');
    expect(recalled.map((r) => r.task.at)).toEqual([1, 3]);
    expect(recalled[0]!.score).toBeGreaterThan(recalled[1]!.score);
    const files = recallFiles(memory, 'wildcard route with a trailing slash is not matched');
    expect([...files.keys()]).toEqual(['src/router/trie.ts', 'src/router/node.ts']);
    expect(files.get('src/router/trie.ts')).toBe(1);
    expect(files.get('src/router/node.ts')).toBeGreaterThan(0);
    expect(files.get('src/router/node.ts')).toBeLessThan(1);
    expect(recallFiles(memory, 'something else entirely').size).toBe(0);
    expect(recallFiles(emptyMemory(), 'router').size).toBe(0);
  });
});
