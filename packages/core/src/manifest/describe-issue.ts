import type { z } from 'zod';
import { closestName } from '../util/closest-name.js';

type Issue = z.core.$ZodIssue;

/** A zod issue turned into words a user can act on, and the path to point at. */
export interface DescribedIssue {
  path: (string | number)[];
  message: string;
  /** Point at the key rather than the value (unknown keys). */
  atKey: boolean;
  /** Point somewhere else than `path` (a missing key: at its parent's key). */
  locateAt?: (string | number)[];
}

/** Where an unknown key would be allowed: the other forms of a union (the providers). */
export type KeyOwners = (
  path: readonly PropertyKey[],
  key: string,
) => { discriminator: string; current: string; owners: string[] } | undefined;

/**
 * Rewrites zod's issues for humans: names the bad value, lists what is allowed, and suggests
 * the nearest known key for a misspelled one. `knownKeys` gives the keys allowed at a path;
 * `keyOwners`, which other provider a key belongs to (a kinovi setting under another one).
 */
export function describeIssue(
  issue: Issue,
  valueAt: (path: readonly PropertyKey[]) => unknown,
  knownKeys: (path: readonly PropertyKey[]) => string[],
  keyOwners: KeyOwners = () => undefined,
): DescribedIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const value = valueAt(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        // A key another provider owns exactly is that provider's, before it is a near miss.
        const owned = keyOwners(issue.path, key);
        const near = owned ? undefined : closestName(key, knownKeys(issue.path));
        // e.g. `unknown key "baseUrl" for the placeholder provider: it is a kinovi setting`
        const under = String(path[path.length - 1] ?? '');
        const hint = near
          ? ` (did you mean "${near}"?)`
          : owned
            ? ` for the ${owned.current} ${under}: it is a ${owned.owners.join(' and ')} setting`
            : '';
        return { path: [...path, key], message: `unknown key "${key}"${hint}`, atKey: true };
      });
    case 'invalid_union': {
      // A discriminated union (`provider`) whose `name` is missing or names no option.
      const options = (issue as { options?: unknown[] }).options;
      const key = path[path.length - 1];
      if (!Array.isArray(options) || typeof key !== 'string')
        return [{ path, message: issue.message, atKey: false }];
      if (value === undefined) {
        const message = `missing required key "${key}" (one of: ${options.join(', ')})`;
        return [{ path, message, atKey: true, locateAt: path.slice(0, -1) }];
      }
      const near = typeof value === 'string' ? closestName(value, options.map(String)) : undefined;
      const hint = near ? ` (did you mean "${near}"?)` : '';
      return [
        {
          path,
          message: `${show(value)} is not allowed here; expected one of: ${options.join(', ')}${hint}`,
          atKey: false,
        },
      ];
    }
    case 'invalid_value': {
      if (path.length === 1 && path[0] === 'version' && value === undefined) {
        return [
          {
            path,
            message: 'missing required key "version": add "version: 1" at the top of the file',
            atKey: true,
            locateAt: [],
          },
        ];
      }
      if (path.length === 1 && path[0] === 'version') {
        return [
          {
            path,
            message: `unsupported manifest version ${show(value)}: this pixlock reads version 1`,
            atKey: false,
          },
        ];
      }
      const allowed = issue.values.map((v) => String(v)).join(', ');
      return [
        {
          path,
          message: `${show(value)} is not allowed here; expected one of: ${allowed}`,
          atKey: false,
        },
      ];
    }
    case 'invalid_type': {
      if (value === undefined) {
        const key = path[path.length - 1];
        return [
          {
            path,
            message: `missing required key "${String(key)}"`,
            atKey: true,
            locateAt: path.slice(0, -1),
          },
        ];
      }
      return [
        { path, message: `expected ${article(issue.expected)}, got ${show(value)}`, atKey: false },
      ];
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const word = issue.code === 'too_small' ? 'at least' : 'at most';
      const unit =
        issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : '';
      return [
        {
          path,
          message: `${show(value)} is out of range: must be ${word} ${String(bound)}${unit}`,
          atKey: false,
        },
      ];
    }
    default:
      return [{ path, message: issue.message, atKey: false }];
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function article(type: string): string {
  if (type === 'int') return 'an integer';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
