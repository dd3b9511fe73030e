/**
 * @module engine/eval/systems
 * The systems an evaluation compares, as switches of `Workspace.query`: the full system, the baselines
 * (BM25 alone; personalised PageRank from the same entry points, as Aider's repo map) and the ablations.
 */
import { ERROR_CODES, EngineError } from '../../base/index.js';
import { REWARD_COMPONENTS } from '../../retrieve/index.js';
import type { QueryOptions } from '../types.js';

/** What a system changes in the query options. */
export type SystemSwitches = Pick<QueryOptions, 'strategy' | 'mcts' | 'router' | 'vectors' | 'off'>;

/** Every system, by name, in table order. */
export const EVAL_SYSTEMS: Readonly<Record<string, SystemSwitches>> = {
  full: {},
  bm25: { strategy: 'bm25' },
  pagerank: { strategy: 'pagerank' },
  'no-mcts': { mcts: false },
  'no-router': { router: false },
  'no-vectors': { vectors: false },
  ...Object.fromEntries(REWARD_COMPONENTS.map((component) => [`no-${component}`, { off: [component] }])),
};

/** The systems named in a list (all of them without one), in the order given; unknown names are refused. */
export function selectSystems(names?: readonly string[]): string[] {
  if (!names || names.length === 0) return Object.keys(EVAL_SYSTEMS);
  const unknown = names.filter((name) => !Object.hasOwn(EVAL_SYSTEMS, name));
  if (unknown.length > 0)
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `Unknown system ${unknown.join(', ')}: choose among ${Object.keys(EVAL_SYSTEMS).join(', ')}`,
    );
  return [...new Set(names)];
}
