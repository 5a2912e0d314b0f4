import path from 'node:path';
import { typeDeclarationsPlace, writeTypeDeclarations, type Project } from '@pixlock/core';
import type { Plugin, ResolvedConfig } from 'vite';
import { BuildFailure } from './build-failure.js';
import { watchProject, type DevWatch } from './dev-server.js';
import { devUrl } from './dev-url.js';
import { imageModule } from './image-module-source.js';
import { parseImageModule, resolveImageModule, type UrlExpression } from './image-modules.js';
import { lockedAssets, type LockedAssets } from './locked-assets.js';
import { buildProblem, restoredMessage } from './messages.js';
import type { PixlockPluginOptions } from './plugin-options.js';
import { resolveSettings, type PluginSettings } from './plugin-settings.js';
import { syncImages, type SyncOutcome } from './sync-images.js';
import { toViteError } from './vite-error.js';

/** What the generated declarations reference for the image shape. */
const CLIENT_TYPES = '@pixlock/vite-plugin/image-types';

/**
 * pixlock for Vite: `import hero from 'pixlock:hero'` gives `{ src, width, height, srcset,
 * format, placeholder, alt, sources, img }` (a prompt only where the manifest exposes it),
 * and `import images from 'virtual:pixlock'` all of them by id. A build brings the images up
 * to date first (frozen in CI: it fails rather than spend credits); the dev server
 * regenerates what changed when the manifest is saved.
 */
export function pixlock(options: PixlockPluginOptions = {}): Plugin {
  let settings: PluginSettings | undefined;
  let project: Project | undefined;
  let dev: DevWatch | undefined;
  let viteConfig: ResolvedConfig | undefined;
  let assets: LockedAssets | undefined;
  /** What buildApp's sync found, for the buildStart that follows it. */
  let synced: SyncOutcome | undefined;

  /**
   * Brings the images up to date and writes the declarations: the one path build and dev
   * share. The project is read once, by `generate` (under its mutex); the declarations are
   * written from the manifest it read.
   */
  const refresh = async (): Promise<SyncOutcome> => {
    const s = settings!;
    const outcome = await syncImages({
      config: s.config,
      frozen: s.mode.frozen,
      placeholderFallback: s.dev,
      logger: s.logger,
    });
    project = outcome.project;
    if (s.dts !== false) {
      const { manifest } = outcome.project;
      const file = s.dts === 'auto' ? (await typeDeclarationsPlace(manifest.dir)).file : s.dts;
      const wrote = await writeTypeDeclarations(manifest, file, { reference: CLIENT_TYPES });
      if (wrote) s.logger.info(`wrote ${path.relative(s.root, file) || file}`);
    }
    if (outcome.summary) s.logger.info(outcome.summary);
    return outcome;
  };

  return {
    name: 'pixlock',
    // Before Vite's resolver, which would otherwise try `pixlock:hero` as a package.
    enforce: 'pre',

    configResolved(config) {
      viteConfig = config;
      settings = resolveSettings(options, config);
    },

    async buildApp() {
      // `vite build` runs this before any environment's build. A problem found here reaches
      // the terminal as pixlock's message alone; from buildStart, Rolldown wraps it in an
      // error of its own and Vite prints that one's stack under it. Builds started through
      // the JS API skip this hook: buildStart syncs and checks for them.
      const s = settings!;
      if (s.dev) return;
      let outcome: SyncOutcome;
      try {
        outcome = await refresh();
      } catch (error) {
        const payload = toViteError(error, s.root);
        // Not pixlock's own error: a bug, whose stack is what a report needs.
        if (payload.stack) throw error;
        throw new BuildFailure(payload.message);
      }
      const problem = buildProblem(outcome, s.mode.reason, s.config);
      if (problem) throw new BuildFailure(problem);
      synced = outcome;
    },

    async buildStart() {
      const s = settings!;
      if (s.dev) return; // The dev server syncs in the background; see configureServer.
      assets = lockedAssets(s.root);
      this.addWatchFile(s.config);
      // Synced by buildApp just before: once is enough (later builds in watch mode sync again).
      let outcome = synced;
      synced = undefined;
      try {
        outcome ??= await refresh();
      } catch (error) {
        return this.error(toViteError(error, s.root));
      }
      for (const file of outcome.project.manifest.files) this.addWatchFile(file);
      const problem = buildProblem(outcome, s.mode.reason, s.config);
      // No stack: the message says what to do, and the stack is the plugin's, not the user's.
      if (problem) this.error({ message: problem, stack: '' });
    },

    configureServer(server) {
      dev = watchProject(server, settings!, refresh, () => project);
    },

    async hotUpdate({ file }) {
      // A save of the manifest: one update with every image module the run changed.
      return dev?.updatesFor(file, this.environment);
    },

    async closeBundle() {
      // The dev server calls this on close: let a run underway finish before it returns.
      await dev?.close();
    },

    resolveId(source) {
      return resolveImageModule(source);
    },

    async load(id) {
      const request = parseImageModule(id);
      if (!request) return undefined;
      // Answer from a settled project: a run underway replaces output files, and Vite itself
      // invalidates this module when one of them changes, so code built from the project
      // before the run could name a file the run just removed (a 500 in import analysis).
      await (dev ? dev.idle() : undefined);
      if (!project) {
        return this.error(`pixlock: ${settings!.config} could not be read; see the error above`);
      }
      if (!dev) {
        // A build emits each file itself: see locked-assets.ts for why not `?url` imports.
        const emitted = new Map<string, string>();
        try {
          return await imageModule(
            project,
            request,
            (f) => emitted.get(f.file)!,
            async (f) => {
              if (!emitted.has(f.file)) emitted.set(f.file, await assets!.emit(this, f));
            },
          );
        } catch (error) {
          return this.error(toViteError(error, settings!.root));
        }
      }
      const urlOf: UrlExpression = (f) => devUrl(viteConfig!, f);
      try {
        return await imageModule(project, request, urlOf);
      } catch {
        // A run underway may be replacing the files of the project described (a save while
        // the page loads): answer from the project that run leaves, not with an error.
        await dev.idle();
        try {
          return await imageModule(project, request, urlOf);
        } catch (again) {
          return this.error(toViteError(again, settings!.root));
        }
      }
    },

    generateBundle: {
      // After every other plugin's generateBundle: one that re-encodes the bundle's images
      // (vite-plugin-image-optimizer) has run, and what it changed of ours is put back.
      order: 'post',
      async handler(_options, bundle) {
        const restored = (await assets?.restore(this, bundle)) ?? [];
        if (restored.length > 0) settings!.logger.warn(restoredMessage(restored));
      },
    },
  };
}
