import { imagePrice } from '../../pricing/price-table.js';
import { sha256 } from '../../util/sha256.js';
import { systemClock } from '../../util/clock.js';
import type { ImageProvider } from '../image-provider.js';
import { providerContract } from '../../test-utils/provider-contract.js';
import { placeholderDescriptor } from './placeholder-descriptor.js';
import { placeholderProvider } from './placeholder-provider.js';
import { referenceThumbnail } from './reference-thumbnail.js';

let creates = 0;

/** The placeholder, counting the creates it is asked for (it has no remote side to count them). */
function counted(inner: ImageProvider): ImageProvider {
  return {
    ...inner,
    createTask(request, ctx) {
      creates++;
      return inner.createTask(request, ctx);
    },
  };
}

providerContract('the placeholder', {
  offline: true,
  async setup() {
    creates = 0;
    const built = await placeholderDescriptor.create({
      settings: { name: 'placeholder', model: 'nanobanana2' },
      manifestFile: '/nowhere/pixlock.yaml',
      env: {},
      dotenv: () => Promise.reject(new Error('the placeholder reads no .env')),
      clock: systemClock,
    });
    const provider = counted(built);
    return {
      provider,
      declared: placeholderDescriptor.capabilities({ name: 'placeholder', model: 'nanobanana2' }),
      listPrice: (r) => imagePrice({ name: 'placeholder', model: r.model }, r.resolution),
      again: async () => counted(placeholderProvider()),
      creates: () => creates,
      // What it drew from: the references whose thumbnail is an inset of the image its task
      // URL describes. It draws manifest images only; URLs and local files it leaves out.
      async received(_taskId, request, output) {
        if (!('url' in output)) throw new Error('the placeholder gives URLs');
        const spec = JSON.parse(decodeURIComponent(output.url.slice('placeholder:'.length))) as {
          insets?: string[];
        };
        const drawn: string[] = [];
        for (const ref of request.inlineReferences ?? []) {
          if (spec.insets?.includes(await referenceThumbnail(ref.bytes))) {
            drawn.push(sha256(ref.bytes));
          }
        }
        return drawn;
      },
      ignores: ['url', 'file'],
      project: { settings: 'name: placeholder', env: {}, provider },
    };
  },
  async teardown() {},
});
