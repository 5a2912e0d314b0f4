import { emptyLock, type Lockfile } from '../../lock/lockfile.js';
import type { ResolvedImage, ResolvedManifest } from '../../manifest/resolved-manifest.js';
import type { Plan, PlanEntry } from '../../plan/plan.js';
import type { ImageProvider } from '../../providers/image-provider.js';
import { runPlan, type RunPlanOptions } from '../run-plan.js';
import { fakeCodec } from './fake-codec.js';
import type { FakeClock } from './fake-clock.js';
import type { MemoryStore } from './memory-store.js';

/** `n` images `img-0`… on a paid provider, one 32 px png output each. */
export function manifestOf(n: number, extra: Partial<ResolvedManifest> = {}): ResolvedManifest {
  const images: ResolvedImage[] = Array.from({ length: n }, (_, i) => ({
    id: `img-${i}`,
    prompt: `picture ${i}`,
    seed: i,
    aspectRatio: '1:1',
    resolution: '1k',
    references: [],
    imageReferences: [],
    output: { format: 'png', width: 32, fit: 'cover' },
    sourceFile: '/project/pixlock.yaml',
  }));
  return {
    file: '/project/pixlock.yaml',
    dir: '/project',
    outDir: 'out',
    provider: { name: 'kinovi', model: 'nanobanana2' },
    concurrency: 4,
    images,
    files: ['/project/pixlock.yaml'],
    ...extra,
  };
}

/** A plan that creates every image of the manifest. */
export function createPlan(manifest: ResolvedManifest, extra: Partial<PlanEntry> = {}): Plan {
  const entries: PlanEntry[] = manifest.images.map((image) => ({
    id: image.id,
    action: 'create',
    credits: 15,
    reason: 'new',
    seed: image.seed!,
    files: [`out/${image.id}.png`],
    ...extra,
  }));
  return { version: 1, entries, credits: 15 * entries.length, usd: 0 };
}

/** Runs a plan with the fakes: in-memory store, fake codec, the given clock and provider. */
export function runWithFakes(
  options: {
    manifest: ResolvedManifest;
    provider: ImageProvider;
    store: MemoryStore;
    clock: FakeClock;
    plan?: Plan;
    lock?: Lockfile;
  } & Partial<RunPlanOptions>,
) {
  const { store, ...rest } = options;
  return runPlan({
    plan: createPlan(options.manifest),
    lock: emptyLock(),
    codec: fakeCodec(),
    random: () => 0.5,
    files: store.files,
    ...rest,
  });
}
