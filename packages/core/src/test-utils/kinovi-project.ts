import { startFakeKinovi, type FakeKinovi, type FakeKinoviOptions } from '@pixlock/fake-kinovi';
import { tempProject, type TempProject } from './temp-project.js';

/** A manifest of `n` cheap images on the kinovi provider, polling fast. */
export function kinoviManifest(n: number, extra = ''): string {
  const images = Array.from(
    { length: n },
    (_, i) =>
      `  img-${String(i).padStart(3, '0')}:\n    prompt: picture number ${i}\n    seed: ${i}\n`,
  );
  return `version: 1
provider: { name: kinovi, model: nanobanana2, pollInterval: 10, timeout: 60000 }
outDir: out
concurrency: 4
${extra}defaults: { resolution: 1k, aspectRatio: "1:1", output: { format: png, width: 16 } }
images:
${images.join('')}`;
}

/** A fake kinovi server and a project that talks to it, with the env that points one at the other. */
export async function kinoviProject(
  n: number,
  options: Partial<FakeKinoviOptions> = {},
  extra = '',
) {
  const fake: FakeKinovi = await startFakeKinovi({
    queueMs: 0,
    latencyMs: 20,
    concurrencyLimit: 50,
    ...options,
  });
  const project: TempProject = await tempProject({ 'pixlock.yaml': kinoviManifest(n, extra) });
  const env = { KINOVI_API_KEY: 'test-key', KINOVI_BASE_URL: fake.baseUrl };
  return {
    fake,
    project,
    env,
    async cleanup() {
      await fake.close();
      await project.cleanup();
    },
  };
}
