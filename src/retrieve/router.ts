/**
 * @module retrieve/router
 * The semantic router: routes are data (a name, example utterances, reward weights, edge preferences, a
 * budget); a query goes to the route whose examples it is most similar to. Similarity is the cosine of
 * code-aware token vectors (words and identifier parts, with bigrams of words), or of an embedder's
 * vectors when one is given. Users add routes in configuration (`routes` in `rtc.config.json`).
 */
import { codeTokens, ERROR_CODES, EngineError } from '../base/index.js';
import type { Embedder, Route } from './types.js';

/**
 * The built-in routes: edge preferences, how far the search follows edges backwards (callers, users), and
 * the token budget. They keep the default reward weights: built-in reward overrides (more symbol relevance
 * for definitions, more coverage for explanations, …) lowered file Acc@5 and function Recall@10 on ky, click
 * and hono in `rtc eval` (bench/README.md). A route from configuration may still set `rewards`.
 */
export const DEFAULT_ROUTES: readonly Route[] = [
  {
    name: 'locate-bug',
    description: 'Find the code behind a bug, a crash, an error or a wrong result',
    examples: [
      'fix the crash when the config file is empty',
      'error thrown when the user is not logged in',
      'wrong result returned for negative numbers',
      'exception in parser on invalid input',
      'bug: timeout not respected on retry',
      'fails with undefined is not a function',
      'handle missing values without crashing',
      'regression: the cache is never invalidated',
    ],
    edges: { calls: 1.2, data_flow: 1.2 },
    incoming: 0.5,
    budget: 6000,
  },
  {
    name: 'find-definition',
    description: 'Find where a symbol is defined',
    examples: [
      'where is parseConfig defined',
      'definition of the UserService class',
      'go to the declaration of handleRequest',
      'which file declares the Token type',
      'show me the function validateToken',
    ],
    edges: { defines: 1.2, type_dependency: 1.2 },
    incoming: 0.2,
    budget: 3000,
  },
  {
    name: 'find-usages',
    description: 'Find who calls or uses a symbol',
    examples: [
      'who calls parseConfig',
      'where is the Logger used',
      'find all usages of getUser',
      'callers of the save method',
      'what depends on the cache module',
      'references to validateToken',
    ],
    edges: { calls: 1.3, references: 1.3, imports: 1.1 },
    incoming: 1,
    budget: 5000,
  },
  {
    name: 'explain',
    description: 'Explain a module, a flow or the architecture',
    examples: [
      'how does indexing work',
      'explain the architecture of the storage layer',
      'what does the router module do',
      'overview of how requests are handled',
      'how is authentication implemented',
      'walk me through the startup sequence',
    ],
    edges: { contains: 1.2, defines: 1.2, calls: 1.1, imports: 1.1 },
    incoming: 0.3,
    budget: 8000,
  },
  {
    name: 'implement',
    description: 'Implement a feature or change near existing code',
    examples: [
      'add a retry option to the http client',
      'implement pagination for the list endpoint',
      'support yaml config files',
      'add a new command to the cli',
      'allow users to configure the timeout',
      'make the cache size configurable',
    ],
    edges: { calls: 1.1, type_dependency: 1.2, implements: 1.2, extends: 1.2 },
    incoming: 0.5,
    budget: 6000,
  },
];

/** The route used when routing is off or nothing matches. */
export const DEFAULT_ROUTE: Route = {
  name: 'default',
  description: 'No route matched: balanced weights',
  examples: [],
  incoming: 0.5,
  budget: 6000,
};

/** A route chosen for a query, with the similarity that chose it. */
export interface RouteChoice {
  route: Route;
  similarity: number;
}

type Sparse = Map<string, number>;

/** A word that names code (`validateToken`, `user_id`, `Store.open`): it says what, not what kind of question. */
const CODE_WORD = /\b[A-Za-z_$][\w$]*(?:[a-z][A-Z]|_|\.)[\w$.]*/g;

/** Words and identifier parts, plus word bigrams ("is empty", "who calls"); names of code left out. */
function features(text: string): Sparse {
  const tokens = codeTokens(text.replace(CODE_WORD, ' '));
  const vector: Sparse = new Map();
  for (const token of tokens) vector.set(token, (vector.get(token) ?? 0) + 1);
  for (let i = 1; i < tokens.length; i++) {
    const bigram = `${tokens[i - 1]!} ${tokens[i]!}`;
    vector.set(bigram, (vector.get(bigram) ?? 0) + 0.5);
  }
  return vector;
}

function cosine(a: Sparse, b: Sparse): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [key, value] of a) {
    na += value * value;
    const other = b.get(key);
    if (other !== undefined) dot += value * other;
  }
  for (const value of b.values()) nb += value * value;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Routes queries. Build once per set of routes (it prepares their examples). */
export class SemanticRouter {
  readonly routes: readonly Route[];
  readonly #examples: { route: Route; features: Sparse }[];
  readonly #minimum: number;
  #vectors: Promise<{ route: Route; vector: Float32Array }[]> | undefined;

  /**
   * `routes` replace the built-in ones by name and add new ones. Below `minimum` similarity the default
   * route is taken.
   */
  constructor(routes: readonly Route[] = [], options: { minimum?: number } = {}) {
    const byName = new Map(DEFAULT_ROUTES.map((r) => [r.name, r]));
    for (const route of routes) {
      if (!route.name || !Array.isArray(route.examples))
        throw new EngineError(
          ERROR_CODES.INVALID_ARGUMENT,
          `A route needs a name and examples: ${JSON.stringify(route).slice(0, 120)}`,
        );
      byName.set(route.name, route);
    }
    this.routes = [...byName.values()];
    this.#examples = this.routes.flatMap((route) =>
      route.examples.map((example) => ({ route, features: features(example) })),
    );
    this.#minimum = options.minimum ?? 0.12;
  }

  /** The route of a query, by token similarity to the examples (nearest example wins). */
  route(query: string): RouteChoice {
    const q = features(query);
    let best: RouteChoice = { route: DEFAULT_ROUTE, similarity: 0 };
    for (const example of this.#examples) {
      const similarity = cosine(q, example.features);
      if (similarity > best.similarity) best = { route: example.route, similarity };
    }
    return best.similarity >= this.#minimum ? best : { route: DEFAULT_ROUTE, similarity: best.similarity };
  }

  /** The route of a query by an embedder's vectors (cached for the examples). */
  async routeWith(embedder: Embedder, query: string): Promise<RouteChoice> {
    this.#vectors ??= (async () => {
      const examples = this.routes.flatMap((route) => route.examples.map((text) => ({ route, text })));
      const vectors = await embedder.embed(
        examples.map((e) => e.text),
        'query',
      );
      return examples.map((e, i) => ({ route: e.route, vector: vectors[i]! }));
    })();
    const examples = await this.#vectors;
    const [q] = await embedder.embed([query], 'query');
    let best: RouteChoice = { route: DEFAULT_ROUTE, similarity: 0 };
    for (const example of examples) {
      const similarity = dot(q!, example.vector);
      if (similarity > best.similarity) best = { route: example.route, similarity };
    }
    return best.similarity >= this.#minimum ? best : { route: DEFAULT_ROUTE, similarity: best.similarity };
  }
}
