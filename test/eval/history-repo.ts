/**
 * @module test/eval/history-repo
 * A real git repository with a short history for the evaluation harness: TypeScript and Python sources,
 * descriptive commits (the instances), a test-only commit, a version bump, a typo fix, a configuration
 * change and a merge (all left out).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The commits of the history that make instances, by name. */
export interface HistoryRepo {
  dir: string;
  /** Commit hashes by step name. */
  commits: Record<string, string>;
}

const CALC_V1 = `export function add(a: number, b: number): number {
  return a + b;
}

export function multiply(a: number, b: number): number {
  let product = 0;
  for (let i = 0; i < b; i++) product = add(product, a);
  return product;
}
`;

const CALC_V2 = `export function add(a: number, b: number): number {
  if (a < 0 && b < 0) return -add(-a, -b);
  return a + b;
}

export function multiply(a: number, b: number): number {
  let product = 0;
  for (let i = 0; i < b; i++) product = add(product, a);
  return product;
}

export function negate(a: number): number {
  return -a;
}
`;

const PARSER_V1 = `import { add, multiply } from './calc.js';

export class Parser {
  constructor(private readonly text: string) {}

  tokens(): string[] {
    return this.text.split(' ');
  }

  parseExpression(): number {
    const [left, op, right] = this.tokens();
    if (op === '+') return add(Number(left), Number(right));
    return multiply(Number(left), Number(right));
  }
}
`;

const PARSER_V2 = PARSER_V1.replace(
  "    return this.text.split(' ');",
  "    return this.text.split(/\\s+/).filter((token) => token !== '');",
);

const UTIL_V1 = `class TextUtils:
    def __init__(self, text):
        self.text = text

    def strip_tokens(self):
        return [t for t in self.text.split(" ")]


def normalize(text):
    return text.lower()
`;

const UTIL_V2 = UTIL_V1.replace(
  '        return [t for t in self.text.split(" ")]',
  '        return [t.strip() for t in self.text.split(" ") if t.strip()]',
);

const UTIL_V3 = UTIL_V2.replace('    return text.lower()', '    return text.strip().lower()');

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Creates the repository in a new temporary folder. */
export function createHistoryRepo(): HistoryRepo {
  const dir = mkdtempSync(join(tmpdir(), 'rtc-eval-repo-'));
  let tick = 0;
  const git = (...args: string[]): string => {
    tick++;
    const date = `2024-01-01T00:${String(tick).padStart(2, '0')}:00Z`;
    return execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.com',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
      },
    }).trim();
  };
  const commits: Record<string, string> = {};
  const commit = (name: string, message: string, files: Record<string, string>): void => {
    write(dir, files);
    git('add', '-A');
    git('commit', '-q', '-m', message);
    commits[name] = git('rev-parse', 'HEAD');
  };
  git('init', '-q', '-b', 'main');
  commit('initial', 'Initial commit with the calculator, the parser and text utilities', {
    'src/calc.ts': CALC_V1,
    'src/parser.ts': PARSER_V1,
    'src/version.ts': "export const VERSION = '1.0.0';\n",
    'app/util.py': UTIL_V1,
    'test/parser.test.ts': "import { Parser } from '../src/parser.js';\nnew Parser('1 + 2');\n",
    'README.md': '# calc\n',
  });
  commit(
    'negative',
    'Handle negative numbers when adding in the calculator\n\nBoth operands negative: add the magnitudes.\n\nSigned-off-by: Test <test@example.com>',
    {
      'src/calc.ts': CALC_V2,
      'README.md': '# calc\n\nNow with negative numbers.\n',
    },
  );
  commit('tests', 'Cover the parser with more unit tests for expressions', {
    'test/parser.test.ts':
      "import { Parser } from '../src/parser.js';\nnew Parser('1 + 2');\nnew Parser('2 * 3');\n",
  });
  commit('bump', 'Bump version to 1.1.0', { 'src/version.ts': "export const VERSION = '1.1.0';\n" });
  commit('tokens', 'Split tokens on any whitespace in the parser and the Python text utilities', {
    'src/parser.ts': PARSER_V2,
    'app/util.py': UTIL_V2,
  });
  commit('typo', 'Fix a typo in the calculator comments of the module', {
    'src/calc.ts': CALC_V2.replace('export function negate', '// Negation.\nexport function negate'),
  });
  commit('config', 'Configure the bundler to emit modern JavaScript modules', {
    'vite.config.ts': 'export default { build: { target: "es2022" } };\n',
  });
  // A side branch merged back: the branch commit is an instance, the merge is not.
  git('checkout', '-q', '-b', 'feature');
  commit('normalize', 'Trim surrounding whitespace before lower-casing in normalize', {
    'app/util.py': UTIL_V3,
  });
  git('checkout', '-q', 'main');
  git('merge', '-q', '--no-ff', '-m', 'Merge branch feature into main for the release', 'feature');
  commits.merge = git('rev-parse', 'HEAD');
  return { dir, commits };
}
