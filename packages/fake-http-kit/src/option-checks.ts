/** Checks one option's value: undefined when it is fine, else what it must be ("a boolean"). */
export type Check = (value: unknown) => string | undefined;

/** A finite number >= 0 (milliseconds, credits, bytes per second). */
export const nonNegative: Check = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'a finite number >= 0';

/** A probability, 0 to 1. */
export const probability: Check = (v) =>
  typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'a probability between 0 and 1';

/** True or false. */
export const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'a boolean');

/** A string with at least one character. */
export const text: Check = (v) =>
  typeof v === 'string' && v.length > 0 ? undefined : 'a non-empty string';

/** An integer above 0 (sizes, page lengths). */
export const positiveInt: Check = (v) =>
  Number.isInteger(v) && (v as number) > 0 ? undefined : 'an integer > 0';

/** Any integer (a seed). */
export const integer: Check = (v) => (Number.isInteger(v) ? undefined : 'an integer');

/** A TCP port; 0 picks a free one. */
export const port: Check = (v) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535
    ? undefined
    : 'an integer port 0..65535';

/** A limit on calls in progress: an integer >= 0, or Infinity for none. */
export const limit: Check = (v) =>
  v === Infinity || (Number.isInteger(v) && (v as number) >= 0)
    ? undefined
    : 'an integer >= 0 or Infinity';

/** A list of non-empty strings (API keys, model ids). */
export const stringList: Check = (v) =>
  Array.isArray(v) && v.every((k) => typeof k === 'string' && k.length > 0)
    ? undefined
    : 'an array of non-empty strings';

/** One of `allowed`, spelled exactly. */
export const oneOf =
  (...allowed: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && allowed.includes(v) ? undefined : `one of ${allowed.join(', ')}`;
