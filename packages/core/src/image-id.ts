const SEGMENT = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Checks an image id. Ids become file paths under `outDir`, so anything that could leave it
 * (absolute paths, `..`, backslashes) gets its own message rather than a generic pattern error.
 * Returns the problem, or undefined when the id is fine.
 */
export function checkImageId(id: string): string | undefined {
  if (id.length === 0) return 'an image id must not be empty';
  if (id.includes('\\')) return `image id "${id}" contains a backslash; use "/" to make folders`;
  if (id.startsWith('/') || /^[a-zA-Z]:/.test(id)) {
    return `image id "${id}" is an absolute path and would escape outDir`;
  }
  const segments = id.split('/');
  if (segments.some((s) => s === '..' || s === '.')) {
    return `image id "${id}" contains "${segments.includes('..') ? '..' : '.'}" and would escape outDir`;
  }
  const bad = segments.find((s) => !SEGMENT.test(s));
  if (bad !== undefined) {
    return `image id "${id}" is invalid: each "/"-separated segment must match [a-z0-9][a-z0-9._-]* (lowercase)`;
  }
  return undefined;
}

/** Regex form of a valid id, for the JSON Schema's `propertyNames`. */
export const IMAGE_ID_PATTERN = '^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$';
