/**
 * @module interfaces/http/routes/shared
 * Pieces the route groups share: the `workspace` property of request bodies, and reading a query
 * parameter as an integer.
 */
import { ERROR_CODES, EngineError } from '../../../base/index.js';

/** The optional `workspace` of a request: a folder's root or name (default: the first folder). */
export const WORKSPACE_PROPERTY = {
  type: 'string',
  maxLength: 4096,
  description: 'Workspace folder (root path or name); default: the first folder',
} as const;

/** The `workspace` query parameter, as published. */
export const WORKSPACE_QUERY = {
  name: 'workspace',
  description: 'Workspace folder (root path or name); default: the first folder',
} as const;

/** A query parameter as an integer (undefined when absent); 400 when it is not one. */
export function integerParameter(query: Record<string, string>, name: string): number | undefined {
  const text = query[name];
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d{1,9}$/.test(text))
    throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Query parameter '${name}' must be an integer`);
  return Number(text);
}

/** `{ workspace }` when given, else nothing (to spread into options). */
export function workspaceOption(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
