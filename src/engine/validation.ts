/**
 * @module engine/validation
 * Validation of wire inputs against JSON Schema (draft 2020-12 subset, by Ajv): the tool catalogue's input
 * schemas and the HTTP API's request bodies use the same validator, so the schemas that are published
 * (`/openapi.json`, MCP `tools/list`) are the ones enforced.
 */
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { ERROR_CODES, EngineError } from '../base/index.js';

/** A JSON Schema, as plain data. */
export type JsonSchema = Readonly<Record<string, unknown>>;

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false, coerceTypes: false });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/**
 * Checks `value` against `schema`; throws {@link ERROR_CODES.INVALID_ARGUMENT} naming every problem
 * (`/budget must be integer; must have required property 'query'`).
 */
export function validateInput(schema: JsonSchema, value: unknown, what = 'input'): void {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return;
  const problems = (validate.errors ?? []).map((error) => {
    const where = error.instancePath || '';
    if (error.keyword === 'additionalProperties')
      return `${where || 'the object'} has an unknown property '${String(error.params.additionalProperty)}'`;
    return `${where ? `${where} ` : ''}${error.message ?? 'is invalid'}`;
  });
  throw new EngineError(ERROR_CODES.INVALID_ARGUMENT, `Invalid ${what}: ${problems.join('; ')}`);
}
