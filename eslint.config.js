/**
 * @module eslint.config
 * Lint rules, including the layer rules of ARCHITECTURE.md: imports point down only,
 * another layer is reached only through its index.ts, and pure layers do no IO.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import unicorn from 'eslint-plugin-unicorn';

const LAYERS = ['base', 'parse', 'graph', 'store', 'index', 'retrieve', 'engine', 'interfaces', 'bin'];
/** What each layer may import (besides itself). */
const ALLOWED = {
  base: [],
  parse: ['base'],
  graph: ['base', 'parse'],
  store: ['base', 'parse', 'graph'],
  index: ['base', 'parse', 'graph', 'store'],
  retrieve: ['base', 'parse', 'graph', 'store'],
  engine: ['base', 'parse', 'graph', 'store', 'index', 'retrieve'],
  interfaces: ['base', 'engine'],
  bin: ['base', 'engine', 'interfaces'],
};
const IO_MODULES = ['fs', 'fs/promises', 'net', 'child_process', 'http', 'https', 'worker_threads'].flatMap(
  (name) => [name, `node:${name}`],
);

/** The interfaces: each its own layer over the engine; none imports another (the composition root wires them). */
const INTERFACES = ['cli', 'http', 'lsp', 'mcp'];

function layerRules(layer, sub) {
  const forbidden = LAYERS.filter((other) => other !== layer && !ALLOWED[layer].includes(other));
  const patterns = [
    ...forbidden.map((other) => ({
      regex: `^(\\.\\./)+${other}(/|$)`,
      message: `The ${layer} layer may not import the ${other} layer (see ARCHITECTURE.md)`,
    })),
    ...ALLOWED[layer].map((other) => ({
      // The interfaces layer is a group of layers (cli, http, lsp, mcp), each with its own index.ts.
      regex:
        other === 'interfaces'
          ? `^(\\.\\./)+interfaces/(?![a-z-]+/index\\.js$).+`
          : `^(\\.\\./)+${other}/(?!index\\.js$).+`,
      message: `Import the ${other} layer only through its index.ts`,
    })),
    ...(sub
      ? INTERFACES.filter((other) => other !== sub).map((other) => ({
          regex: `^(\\.\\./)+${other}(/|$)`,
          message: `The ${sub} interface may not import the ${other} interface (bin/rtc.ts wires them together)`,
        }))
      : []),
  ];
  const pure = layer === 'parse' || layer === 'graph' || layer === 'base';
  return {
    files: [sub ? `src/${layer}/${sub}/**/*.ts` : `src/${layer}/**/*.ts`],
    ignores: ['src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns,
          ...(pure
            ? { paths: IO_MODULES.map((name) => ({ name, message: `The ${layer} layer does no IO` })) }
            : {}),
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/**', 'bench/.work/**', 'coverage/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { unicorn },
    rules: {
      'unicorn/filename-case': ['error', { case: 'kebabCase' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/prefer-nullish-coalescing': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'no-console': 'error',
    },
  },
  ...LAYERS.map((layer) => layerRules(layer)),
  ...INTERFACES.map((sub) => layerRules('interfaces', sub)),
  {
    files: ['src/bin/**', 'src/interfaces/cli/**', 'bench/**', 'test/**', '**/*.test.ts', '*.config.*'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        console: 'readonly',
        process: 'readonly',
        performance: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/explicit-module-boundary-types': 'off',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
