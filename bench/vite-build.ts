// Benchmark: a Vite build of examples/vite-app with nothing to generate, with the pixlock
// plugin against a stub plugin that serves the very same modules from memory (what the build
// would cost if pixlock were free: the same modules, each file imported with `?url` as a
// hand-written module would). Target: pixlock within 1.15x of the stub.
// Builds alternate (stub, pixlock, stub, ...) in one process after a warm-up of each.
// Run: pnpm exec tsx bench/vite-build.ts [rounds]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Plugin } from 'vite';
import { pixlock } from '../packages/vite-plugin/src/index.js';
import { resolveImageModule } from '../packages/vite-plugin/src/image-modules.js';
import { copyExample } from '../packages/vite-plugin/src/test-utils/example-app.js';

const rounds = Number(process.argv[2] ?? 7);
const app = await copyExample();
const out = await mkdtemp(path.join(tmpdir(), 'pixlock-vite-bench-'));

/** The real plugin, recording what it served so the stub can serve the same. */
const served = new Map<string, string>();
/** The files it emitted, by the reference its code names them with. */
const emitted = new Map<string, EmittedAsset>();
type EmittedAsset = { type: 'asset'; name?: string; originalFileName?: string; source: Uint8Array };
const URL_CONST = /const (url\d+) = "__VITE_ASSET__([\w$]+)__";/g;

function recording(): Plugin {
  const real = pixlock({ dts: false });
  const load = real.load as (this: unknown, id: string) => Promise<unknown>;
  return {
    ...real,
    async load(id) {
      // The real plugin emits its files through this context: note each one.
      const context = new Proxy(this, {
        get(target, key) {
          const value: unknown = Reflect.get(target, key);
          if (key !== 'emitFile') return typeof value === 'function' ? value.bind(target) : value;
          return (file: EmittedAsset) => {
            const ref = target.emitFile(file);
            emitted.set(ref, file);
            return ref;
          };
        },
      });
      const code = await load.call(context, id);
      if (typeof code === 'string') served.set(id, code);
      return code as string | undefined;
    },
  };
}

/**
 * A plugin that knows nothing of manifests or locks: it hands out recorded module code, each
 * file it names imported with `?url` from disk, as a module written by hand would.
 */
function stub(): Plugin {
  return {
    name: 'pixlock-stub',
    enforce: 'pre',
    resolveId: (source) => resolveImageModule(source),
    load(id) {
      return served.get(id)?.replace(URL_CONST, (_, name: string, ref: string) => {
        const file = path.join(app.dir, emitted.get(ref)!.originalFileName!);
        return `import ${name} from ${JSON.stringify(`${file}?url`)};`;
      });
    },
  };
}

async function timeBuild(plugin: Plugin): Promise<number> {
  const t = performance.now();
  await build({
    root: app.dir,
    configFile: false,
    logLevel: 'silent',
    plugins: [plugin],
    build: { outDir: out, emptyOutDir: true },
  });
  return performance.now() - t;
}

try {
  await timeBuild(recording()); // warm-up, and records the modules
  if (served.size === 0) throw new Error('the real plugin served no modules');
  await timeBuild(stub());
  const times = { stub: [] as number[], pixlock: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? (['stub', 'pixlock'] as const) : (['pixlock', 'stub'] as const);
    for (const which of order) {
      times[which].push(await timeBuild(which === 'stub' ? stub() : pixlock({ dts: false })));
    }
  }
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { min: s[0]!, median: s[Math.floor(s.length / 2)]! };
  };
  const s = stat(times.stub);
  const p = stat(times.pixlock);
  console.log(`vite build of examples/vite-app, nothing to generate, ${rounds} rounds alternated`);
  console.log('| plugin | min | median |');
  console.log('| --- | ---: | ---: |');
  console.log(
    `| stub (same modules, files as ?url imports) | ${s.min.toFixed(0)} ms | ${s.median.toFixed(0)} ms |`,
  );
  console.log(`| pixlock | ${p.min.toFixed(0)} ms | ${p.median.toFixed(0)} ms |`);
  const ratio = p.median / s.median;
  console.log(`pixlock / stub (median): ${ratio.toFixed(2)} (target <= 1.15)`);
} finally {
  await rm(out, { recursive: true, force: true });
  await app.cleanup();
}
