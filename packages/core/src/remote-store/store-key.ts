import { mediaTypeInfo } from '../media-types.js';

/** What a stored object is: an original as the provider sent it, or an output pixlock encoded. */
export const STORE_KINDS = Object.freeze(['originals', 'outputs'] as const);
/** One of {@link STORE_KINDS}. */
export type StoreKind = (typeof STORE_KINDS)[number];

/** Names one object of the store by its content: the bytes' sha256 and their media type. */
export interface StoreKey {
  kind: StoreKind;
  /** Lowercase hex sha256 of the object's bytes, as the lock records it. */
  sha256: string;
  /** e.g. `image/png`; must be a format pixlock knows (assets/media-types.ts). */
  mediaType: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The object's path below the store's prefix: `<kind>/<sha256>.<ext>`, e.g.
 * `originals/9f86…08.png`. Built from nothing but a checked sha256, a kind from a fixed list
 * and the preferred extension of a known media type, so no lock entry or manifest text can
 * steer a key elsewhere in the bucket.
 *
 * Flat below the kind, not fanned out into `ab/` folders: S3 lists keys in order, so
 * sorted sha256 keys let an existence check list only the ranges it asks about
 * (has-many.ts), and the random first characters already spread load across partitions.
 * @throws TypeError for an unknown kind, a malformed sha256 or an unknown media type.
 */
export function storeKeyPath(key: StoreKey): string {
  if (!STORE_KINDS.includes(key.kind)) {
    throw new TypeError(`store key: kind must be one of ${STORE_KINDS.join(', ')}`);
  }
  if (typeof key.sha256 !== 'string' || !SHA256.test(key.sha256)) {
    throw new TypeError('store key: sha256 must be 64 lowercase hex digits');
  }
  const extension = mediaTypeInfo(String(key.mediaType))?.extensions[0];
  if (extension === undefined) {
    throw new TypeError(`store key: unknown media type ${JSON.stringify(key.mediaType)}`);
  }
  return `${key.kind}/${key.sha256}.${extension}`;
}
