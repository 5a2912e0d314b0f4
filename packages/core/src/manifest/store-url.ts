/** Where the objects live: a bucket and a key prefix inside it. */
export interface StoreLocation {
  bucket: string;
  /** `''`, or folders ending in `/` (e.g. `team/site/`): prepended to every key. */
  prefix: string;
  /** The URL written back in canonical form: `s3://bucket` or `s3://bucket/team/site`. */
  url: string;
}

// S3's rules (3–63 characters, lowercase letters, digits, dots and hyphens, a letter or digit
// at each end), plus underscores, which GCS's interoperability mode allows.
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;
const IP_LIKE = /^\d+\.\d+\.\d+\.\d+$/;
// Folders of a prefix: plain characters only, so a key never needs escaping or surprises a
// listing; `.` and `..` segments are refused below.
const SEGMENT = /^[A-Za-z0-9._-]+$/;
const MAX_PREFIX = 512;

/**
 * Parses `s3://<bucket>[/<prefix>]`. Returns the location, or why the text is no store URL
 * (a message to show at the manifest's line).
 */
export function parseStoreUrl(text: string): StoreLocation | { problem: string } {
  const problem = (why: string, quoted = true) => ({
    problem: `store url ${quoted ? `${JSON.stringify(text)} ` : ''}${why}; expected s3://<bucket>/<prefix>`,
  });
  if (typeof text !== 'string') return problem('is not a string');
  const match = /^s3:\/\/([^/?#]*)(\/[^?#]*)?$/.exec(text);
  if (!match) return problem('is not an s3:// URL (no query, fragment or other scheme)');
  const bucket = match[1]!;
  if (bucket.includes('@') || bucket.includes(':')) {
    // Not quoted: what stands before the `@` may be a secret, and messages never carry one.
    return problem(
      'must not carry credentials or a port (credentials come from the environment)',
      false,
    );
  }
  if (!BUCKET.test(bucket) || bucket.includes('..') || IP_LIKE.test(bucket)) {
    return problem(`names no valid bucket ("${bucket}")`);
  }
  const path = (match[2] ?? '').replace(/^\/|\/$/g, '');
  if (path === '') return { bucket, prefix: '', url: `s3://${bucket}` };
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || !SEGMENT.test(segment)) {
      return problem(
        `has a prefix folder ${JSON.stringify(segment)} that is empty, . or .., or holds ` +
          'characters other than letters, digits, ., _ and -',
      );
    }
  }
  if (path.length > MAX_PREFIX) return problem(`has a prefix over ${MAX_PREFIX} characters`);
  return { bucket, prefix: `${path}/`, url: `s3://${bucket}/${path}` };
}
