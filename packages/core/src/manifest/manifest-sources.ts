/**
 * What a manifest was read from, once every file is read and before any of its paths is
 * checked: what a cache of the manifest must watch to know it still holds.
 */
export interface ManifestSources {
  /** The main manifest, absolute. */
  file: string;
  /** The repository root nothing may reach past. */
  root: string;
  /** Where the main manifest really is. */
  realFile: string;
  /** Every manifest file read → the sha256 of the bytes parsed. */
  digests: ReadonlyMap<string, string>;
  /** The `include` patterns. */
  include: readonly string[];
  /** outDir as written. */
  outDir: string | undefined;
  /** Every reference as written, with the file it is written in. */
  references: readonly { file: string; ref: string }[];
}
