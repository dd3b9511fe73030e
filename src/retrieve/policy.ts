/**
 * @module retrieve/policy
 * The retrieval policy: what retrieval learns about one repository and carries from query to query.
 * - reward weights: multipliers of the five reward components' weights (after the route's overrides);
 * - edge priors: multipliers of the weights of the moves the graph search makes, by edge kind (a move
 *   followed backwards, `called_by`, counts for its kind, `calls`; `contained_in` for `contains`);
 * - value estimates: a running mean of the feedback on a node (by its stable id) and on a file (by path),
 *   in [-1, 1] with the evidence behind it, added to a node's reward as a small, bounded bonus (at most
 *   {@link NODE_VALUE_SCALE} + {@link FILE_VALUE_SCALE}), so that it steers the search and breaks near ties
 *   without drowning what the query says.
 * - the task memory: past tasks and the files that mattered to them (retrieve/task-memory.ts), recalled by
 *   a query like them.
 * Plain data (`<repo>/.rtc/policy.json`, written by the engine); the default policy changes nothing: every
 * multiplier is 1, no node has a value and no task is remembered, and retrieval then ranks exactly as
 * without a policy.
 */
import { ERROR_CODES, EngineError } from '../base/index.js';
import type { CsrGraph } from '../graph/index.js';
import { REWARD_COMPONENTS } from './types.js';
import type { RewardComponent, RewardWeights } from './types.js';
import { isActiveMemory, MAX_TASK_FILES, MAX_TASK_TERMS } from './task-memory.js';
import type { RememberedTask, TaskMemory } from './task-memory.js';

/** The version of the policy's format; a file of a newer one is not read. */
export const POLICY_SCHEMA = 1;
/** The bounds of the reward-weight and edge-prior multipliers. */
export const MIN_MULTIPLIER = 0.25;
export const MAX_MULTIPLIER = 4;
/** The largest bonus a node's own value adds to its reward (the reward is in [0, 1]). */
export const NODE_VALUE_SCALE = 0.12;
/** The largest bonus its file's value adds. */
export const FILE_VALUE_SCALE = 0.06;

/** What the feedback on one node or file says: a mean in [-1, 1], the evidence (count) and when it last moved. */
export interface ValueEstimate {
  value: number;
  /** Observations behind the mean (weak ones count less than 1). */
  count: number;
  /** Last update (ms since the epoch). */
  at: number;
}

/** The learned part of retrieval for one repository. */
export interface RetrievalPolicy {
  /** The format ({@link POLICY_SCHEMA}). */
  schema: number;
  /** Incremented by every update, reset and import. */
  version: number;
  /** When it last changed (ISO 8601). */
  updatedAt?: string;
  /** Multipliers of the reward components' weights (missing: 1). */
  weights: Partial<Record<RewardComponent, number>>;
  /** Multipliers of the graph search's move weights, by edge kind (missing: 1). */
  edges: Partial<Record<string, number>>;
  /** Value estimates of nodes, by stable node id. */
  nodes: Record<string, ValueEstimate>;
  /** Value estimates of files, by repository-relative path. */
  files: Record<string, ValueEstimate>;
  /** Updates applied, by the source of their episode (`explicit`, `implicit`, `history`…). */
  episodes: Record<string, number>;
  /** Past tasks and the files that mattered to them (absent: none). */
  memory?: TaskMemory;
}

/** The policy that changes nothing (version 0). Copy it before changing it ({@link emptyPolicy}). */
export const DEFAULT_POLICY: Readonly<RetrievalPolicy> = Object.freeze({
  schema: POLICY_SCHEMA,
  version: 0,
  weights: Object.freeze({}),
  edges: Object.freeze({}),
  nodes: Object.freeze({}),
  files: Object.freeze({}),
  episodes: Object.freeze({}),
});

/** A fresh default policy, at `version`. */
export function emptyPolicy(version = 0): RetrievalPolicy {
  return { schema: POLICY_SCHEMA, version, weights: {}, edges: {}, nodes: {}, files: {}, episodes: {} };
}

/** Whether a policy changes nothing retrieval does (retrieval then skips it). */
export function isNeutralPolicy(policy: RetrievalPolicy | undefined): boolean {
  if (!policy) return true;
  for (const value of Object.values(policy.weights)) if (value !== 1) return false;
  for (const value of Object.values(policy.edges)) if (value !== 1) return false;
  for (const key in policy.nodes) if (Object.hasOwn(policy.nodes, key)) return false;
  for (const key in policy.files) if (Object.hasOwn(policy.files, key)) return false;
  return !isActiveMemory(policy.memory);
}

/** The reward weights under a policy: each multiplied by the policy's multiplier (`weights` itself when none). */
export function policyWeights(weights: RewardWeights, policy: RetrievalPolicy | undefined): RewardWeights {
  if (!policy) return weights;
  let changed: RewardWeights | undefined;
  for (const component of REWARD_COMPONENTS) {
    const factor = policy.weights[component];
    if (factor === undefined || factor === 1) continue;
    changed ??= { ...weights };
    changed[component] = weights[component] * clampMultiplier(factor);
  }
  return changed ?? weights;
}

/** The edge kind a move label stands for (`called_by` → `calls`, `references_by` → `references`, `contained_in` → `contains`). */
export function edgeKindOfLabel(label: string): string {
  if (label === 'called_by') return 'calls';
  if (label === 'contained_in') return 'contains';
  return label.endsWith('_by') ? label.slice(0, -3) : label;
}

/** The prior of moves along edges of `kind` (a multiplier; 1 when the policy says nothing). */
export function edgePrior(policy: RetrievalPolicy | undefined, kind: string): number {
  const factor = policy?.edges[kind];
  return factor === undefined ? 1 : clampMultiplier(factor);
}

/** The bonus a value estimate is worth at `scale`: the mean, shrunk towards 0 while the evidence is thin. */
export function valueBonus(estimate: ValueEstimate | undefined, scale: number): number {
  if (!estimate || !(estimate.count > 0)) return 0;
  const value = Math.max(-1, Math.min(1, estimate.value));
  return scale * value * (estimate.count / (estimate.count + 1));
}

/**
 * The bonus of every node of a graph under a policy (its own value and its file's), or undefined when the
 * policy values nothing in this graph. Node ids the graph no longer has are skipped.
 */
export function policyBonuses(
  policy: RetrievalPolicy | undefined,
  csr: CsrGraph,
): ((node: number) => number) | undefined {
  if (!policy) return undefined;
  const byNode = new Map<number, number>();
  for (const id in policy.nodes) {
    if (!Object.hasOwn(policy.nodes, id)) continue;
    const bonus = valueBonus(policy.nodes[id], NODE_VALUE_SCALE);
    if (bonus === 0) continue;
    const node = csr.indexOf(id);
    if (node >= 0) byNode.set(node, bonus);
  }
  let byFile: Float64Array | undefined;
  const { files, nodeFile } = csr.arrays;
  for (let file = 0; file < files.length; file++) {
    const path = files[file]!;
    if (!Object.hasOwn(policy.files, path)) continue;
    const bonus = valueBonus(policy.files[path], FILE_VALUE_SCALE);
    if (bonus === 0) continue;
    byFile ??= new Float64Array(files.length);
    byFile[file] = bonus;
  }
  if (byNode.size === 0 && !byFile) return undefined;
  return (node) => {
    const file = nodeFile[node]!;
    return (byNode.get(node) ?? 0) + (byFile && file >= 0 ? byFile[file]! : 0);
  };
}

/** A multiplier within [{@link MIN_MULTIPLIER}, {@link MAX_MULTIPLIER}] (1 for anything not a number). */
export function clampMultiplier(value: number): number {
  if (!Number.isFinite(value)) return 1;
  return Math.min(MAX_MULTIPLIER, Math.max(MIN_MULTIPLIER, value));
}

function invalid(message: string): EngineError {
  return new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Not a retrieval policy: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numbers(value: unknown, field: string): Record<string, number> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw invalid(`"${field}" must be an object of numbers`);
  const out: Record<string, number> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'number' || !Number.isFinite(entry))
      throw invalid(`"${field}.${key}" must be a finite number`);
    out[key] = entry;
  }
  return out;
}

function estimates(value: unknown, field: string): Record<string, ValueEstimate> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw invalid(`"${field}" must be an object of value estimates`);
  const out: Record<string, ValueEstimate> = Object.create(null) as Record<string, ValueEstimate>;
  for (const [key, entry] of Object.entries(value)) {
    if (
      !isRecord(entry) ||
      typeof entry.value !== 'number' ||
      !Number.isFinite(entry.value) ||
      typeof entry.count !== 'number' ||
      !(entry.count >= 0)
    )
      throw invalid(`"${field}.${key}" must be { value, count, at }`);
    out[key] = {
      value: Math.max(-1, Math.min(1, entry.value)),
      count: entry.count,
      at: typeof entry.at === 'number' ? entry.at : 0,
    };
  }
  return out;
}

/**
 * Reads a policy from parsed JSON: checks its shape, refuses a newer schema, and fills what an older
 * writer left out. Throws {@link EngineError} (`INVALID_ARGUMENT`) with what is wrong.
 */
export function parsePolicy(value: unknown): RetrievalPolicy {
  if (!isRecord(value)) throw invalid('expected a JSON object');
  const schema = value.schema;
  if (typeof schema !== 'number' || !Number.isInteger(schema) || schema < 1)
    throw invalid('"schema" must be a positive integer');
  if (schema > POLICY_SCHEMA)
    throw new EngineError(
      ERROR_CODES.INVALID_ARGUMENT,
      `The retrieval policy was written by a newer version (schema ${schema}; this version reads ${POLICY_SCHEMA})`,
    );
  const version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0)
    throw invalid('"version" must be a non-negative integer');
  const weights = numbers(value.weights, 'weights');
  for (const key of Object.keys(weights))
    if (!(REWARD_COMPONENTS as readonly string[]).includes(key))
      throw invalid(`"weights.${key}" is not a reward component (${REWARD_COMPONENTS.join(', ')})`);
  const policy: RetrievalPolicy = {
    schema: POLICY_SCHEMA,
    version,
    weights: weights as Partial<Record<RewardComponent, number>>,
    edges: numbers(value.edges, 'edges'),
    nodes: estimates(value.nodes, 'nodes'),
    files: estimates(value.files, 'files'),
    episodes: numbers(value.episodes, 'episodes'),
  };
  if (typeof value.updatedAt === 'string') policy.updatedAt = value.updatedAt;
  if (value.memory !== undefined) policy.memory = memoryOf(value.memory);
  return policy;
}

function strings(value: unknown, field: string, max: number): string[] {
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string'))
    throw invalid(`"${field}" must be an array of strings`);
  return (value as string[]).slice(0, max);
}

function memoryOf(value: unknown): TaskMemory {
  if (!isRecord(value) || !Array.isArray(value.tasks))
    throw invalid('"memory" must be { tasks: [...], weight }');
  const weight = value.weight ?? 1;
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0)
    throw invalid('"memory.weight" must be a non-negative number');
  const tasks: RememberedTask[] = value.tasks.map((task: unknown, i: number) => {
    if (!isRecord(task)) throw invalid(`"memory.tasks[${i}]" must be an object`);
    const at = typeof task.at === 'number' && Number.isFinite(task.at) ? task.at : 0;
    return {
      terms: strings(task.terms, `memory.tasks[${i}].terms`, MAX_TASK_TERMS),
      files: strings(task.files, `memory.tasks[${i}].files`, MAX_TASK_FILES),
      source: typeof task.source === 'string' ? task.source : 'unknown',
      at,
      ...(typeof task.key === 'string' ? { key: task.key } : {}),
    };
  });
  return { tasks, weight: Math.min(weight, MAX_MULTIPLIER) };
}
