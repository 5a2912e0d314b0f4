import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { kinoviProject } from '../test-utils/kinovi-project.js';
import { generate } from './generate.js';

let setup: Awaited<ReturnType<typeof kinoviProject>> | undefined;
afterEach(async () => {
  await setup?.cleanup();
  setup = undefined;
});

describe('local reference images', () => {
  it('are uploaded and sent as public URLs, under both field names', async () => {
    setup = await kinoviProject(1);
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    await writeFile(path.join(setup.project.dir, 'refs', 'style.png'), png).catch(async () => {
      await setup!.project.write('refs/.keep', '');
      await writeFile(path.join(setup!.project.dir, 'refs', 'style.png'), png);
    });
    const text = await setup.project.read('pixlock.yaml');
    await setup.project.write(
      'pixlock.yaml',
      text.replace(
        '    seed: 0\n',
        '    seed: 0\n    references: [refs/style.png, https://example.com/a.jpg]\n',
      ),
    );
    const result = await generate({ config: setup.project.config, env: setup.env });
    expect(result.run?.counts.created).toBe(1);
    expect(setup.fake.stats.uploads).toBe(1);
    const [task] = setup.fake.tasks();
    expect(task!.imageUrls).toEqual([
      'https://example.com/a.jpg',
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
    ]);
    expect(task!.uploadedUrls).toEqual(task!.imageUrls);
    // The public URL serves exactly the local file's bytes.
    const served = Buffer.from(await (await fetch(task!.imageUrls![1]!)).arrayBuffer());
    expect(served.equals(png)).toBe(true);
    // Editing the reference file regenerates the image; the plan sees its content, not its name.
    await writeFile(
      path.join(setup.project.dir, 'refs', 'style.png'),
      await sharp(png).negate().png().toBuffer(),
    );
    const again = await generate({ config: setup.project.config, env: setup.env, dryRun: true });
    expect(again.plan.entries[0]!.action).toBe('regenerate');
  });
});
