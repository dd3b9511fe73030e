/**
 * @module interfaces/cli/arguments
 * The parsers of option values that several commands share: each returns the value or throws commander's
 * `InvalidArgumentError`, which becomes a usage error (exit code 2) with the option's name.
 */
import { InvalidArgumentError } from 'commander';

/** An integer ≥ 1. */
export function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Any integer (a seed). */
export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
}

/** An integer ≥ 0. */
export function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/** A number strictly between 0 and 1. */
export function fraction(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('expected a number between 0 and 1');
  return n;
}

/** A date `Date.parse` reads (kept as written). */
export function date(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('expected a date (2024-06-01)');
  return value;
}
