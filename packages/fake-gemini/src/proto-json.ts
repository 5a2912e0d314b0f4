import { googleError } from './google-error.js';
import type { Reply } from '@pixlock/fake-http-kit';

/** A plain JSON object (not null, not an array). */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `imageSize` → `image_size`: the proto field name, which Google's JSON parser accepts too. */
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Reads `field` by its JSON name or its proto name, as Google does (`imageSize` or
 * `image_size`); undefined when neither is present.
 */
export function field(obj: Record<string, unknown>, name: string): unknown {
  return obj[name] ?? obj[snake(name)];
}

/**
 * Google's JSON parser refuses names a message does not have; so does the fake, which is how a
 * client's typo (`imgConfig`) fails loudly instead of being ignored. `at` is the proto path.
 */
export function unknownField(
  obj: Record<string, unknown>,
  known: readonly string[],
  at: string,
): Reply | undefined {
  const allowed = new Set(known.flatMap((k) => [k, snake(k)]));
  const stray = Object.keys(obj).find((k) => !allowed.has(k));
  if (stray === undefined) return undefined;
  const where = at ? ` at '${at}'` : '';
  return googleError(
    400,
    `Invalid JSON payload received. Unknown name "${stray}"${where}: Cannot find field.`,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [
          {
            field: at,
            description: `Invalid JSON payload received. Unknown name "${stray}"${where}: Cannot find field.`,
          },
        ],
      },
    ],
  );
}

/** Parses a JSON body; a 400 in Google's words when it is not JSON. */
export function parseJsonBody(
  raw: Buffer | undefined,
): { ok: true; value: unknown } | { ok: false; reply: Reply } {
  try {
    return { ok: true, value: raw && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {} };
  } catch {
    return {
      ok: false,
      reply: googleError(400, 'Invalid JSON payload received. Unexpected token.'),
    };
  }
}
