/**
 * @module base/records
 * Safe access to string-keyed records whose keys come from source code: a symbol may be named
 * `constructor`, `toString` or `__proto__`, which plain property access would read from Object.prototype.
 */

/** The record's own value for `key`, never an inherited one. */
export function ownGet<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets `record[key]` unless the record already has its own value; returns the value now there. */
export function ownSetDefault<T>(record: Record<string, T>, key: string, value: T): T {
  if (Object.hasOwn(record, key)) return record[key]!;
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}
