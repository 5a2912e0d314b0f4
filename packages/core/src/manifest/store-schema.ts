import { z } from 'zod';
import { parseStoreUrl } from './store-url.js';

/**
 * The manifest's `store:` block: an object store (the S3 API) where originals, and with
 * `outputs: true` the outputs, are kept by their sha256. Only where things are: credentials
 * come from the environment (the AWS SDK's chain), never from the manifest, and whether a
 * manifest-named endpoint may be used is decided with the environment
 * (project/store-settings-of.ts), since a manifest arrives in pull requests.
 */
export const storeSchema = z
  .strictObject({
    url: z
      .string()
      .meta({ pattern: '^s3://' })
      .superRefine((url, ctx) => {
        const parsed = parseStoreUrl(url);
        if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
      })
      .describe('s3://<bucket>/<prefix>: where the objects go (any S3-compatible service).'),
    endpoint: z
      .string()
      .min(1)
      .optional()
      .describe(
        "An S3 endpoint: used only when it is AWS's own (*.amazonaws.com) or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL names the same; set those for R2, MinIO, B2 or GCS.",
      ),
    region: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The region of the bucket when AWS_REGION is not set (default us-east-1; R2: auto).',
      ),
    outputs: z
      .boolean()
      .optional()
      .describe(
        'Keep the outputs in the store too (default false): a fresh clone restores them from it instead of encoding them again, so they need not be committed.',
      ),
  })
  .describe(
    'An object store for originals (and outputs): the repository keeps pixlock.yaml and pixlock.lock, the store the images.',
  );

/** The `store:` block as written. */
export type StoreInput = z.infer<typeof storeSchema>;

/** The `store:` block with its defaults applied. */
export interface ResolvedStore {
  /** `s3://<bucket>/<prefix>`, as written. */
  url: string;
  endpoint?: string;
  region?: string;
  /** Outputs are pushed to the store and restored from it. */
  outputs: boolean;
}

/** The resolved block of a written one. */
export function resolveStore(store: StoreInput): ResolvedStore {
  return {
    url: store.url,
    ...(store.endpoint !== undefined && { endpoint: store.endpoint }),
    ...(store.region !== undefined && { region: store.region }),
    outputs: store.outputs ?? false,
  };
}
