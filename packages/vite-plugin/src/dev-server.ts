import path from 'node:path';
import { describeImage, errorMessage, projectPaths, type Project } from '@pixlock/core';
import type { ViteDevServer } from 'vite';
import { ALL_IMAGES_ID, imageModuleId } from './image-modules.js';
import { frozenMessage, standInNote } from './messages.js';
import type { PluginSettings } from './pixlock-plugin.js';
import { serialRunner } from './serial-runner.js';
import type { SyncOutcome } from './sync-images.js';
import { toViteError } from './vite-error.js';

/** Quiet time after a save before regenerating: editors write a file in several steps. */
const DEBOUNCE_MS = 150;

/**
 * Keeps the dev server's images current: syncs once at start, then again whenever the
 * manifest, an included file or the lock changes (the lock, when `pixlock generate` ran in a
 * terminal). Runs are serialized; after each, only the modules whose image changed are
 * reloaded. Never throws into the server: problems go to the log and the error overlay.
 * `idle` resolves when no run is scheduled or underway (the first run starts at once);
 * `close` stops watching and waits for a run underway.
 */
export function watchProject(
  server: ViteDevServer,
  settings: PluginSettings,
  refresh: () => Promise<SyncOutcome>,
  current: () => Project | undefined,
): { idle: () => Promise<void>; close: () => Promise<void> } {
  const watched = new Set([settings.config, projectPaths(settings.config).lockFile]);
  let lastWarning = '';
  let broken = false;

  const runner = serialRunner(
    async () => {
      const before = fingerprints(current());
      let outcome: SyncOutcome;
      try {
        outcome = await refresh();
      } catch (error) {
        const payload = toViteError(error, settings.root);
        server.config.logger.error(`[pixlock] ${payload.message}`, { timestamp: true });
        server.hot.send({ type: 'error', err: { ...payload, stack: '', plugin: 'pixlock' } });
        broken = true;
        return;
      }
      for (const file of outcome.project.manifest.files) watched.add(path.resolve(file));
      server.watcher.add([...watched]);
      // Say each problem once, not on every save.
      const warning = warnings(outcome, settings);
      if (warning && warning !== lastWarning) settings.logger.warn(warning);
      lastWarning = warning;
      await reload(server, before, fingerprints(outcome.project));
      if (broken) {
        // Modules that failed to load while the manifest was broken are not in the graph to
        // reload, and the overlay is up: start the page over.
        broken = false;
        server.hot.send({ type: 'full-reload' });
      }
    },
    DEBOUNCE_MS,
    (error) => settings.logger.warn(`sync failed: ${errorMessage(error)}`),
  );

  server.watcher.add([...watched]);
  server.watcher.on('all', (_event, file) => {
    if (watched.has(path.resolve(file))) runner.schedule();
  });
  void runner.run();
  return { idle: () => runner.idle(), close: () => runner.close() };
}

function warnings(outcome: SyncOutcome, settings: PluginSettings): string {
  const parts: string[] = [];
  if (outcome.blocked.length > 0) {
    parts.push(frozenMessage(outcome.blocked, settings.mode.reason, settings.config));
  }
  if (outcome.failed.length > 0 || outcome.stoppedBy) {
    parts.push([outcome.stoppedBy, ...outcome.failed].filter(Boolean).join('\n'));
  }
  if (outcome.placeholders.length > 0) {
    parts.push(standInNote(outcome.placeholders));
  }
  return parts.join('\n');
}

/** What a module's code depends on, per image id; a change means reload that module. */
function fingerprints(project: Project | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const image of project?.manifest.images ?? []) {
    let print: string;
    try {
      print = JSON.stringify(describeImage(project!, image.id));
    } catch (error) {
      print = errorMessage(error);
    }
    map.set(image.id, print);
  }
  return map;
}

async function reload(
  server: ViteDevServer,
  before: Map<string, string>,
  after: Map<string, string>,
): Promise<void> {
  const changed = [...after].filter(([id, print]) => before.get(id) !== print).map(([id]) => id);
  const idsChanged = before.size !== after.size || [...before.keys()].some((id) => !after.has(id));
  if (changed.length === 0 && !idsChanged) return;
  const ids = changed.map(imageModuleId);
  ids.push(ALL_IMAGES_ID);
  for (const environment of Object.values(server.environments)) {
    for (const id of ids) {
      const mod = environment.moduleGraph.getModuleById(id);
      if (!mod) continue;
      // Invalidate first so a fetch gets new code even where HMR is off; reloadModule then
      // tells the page (a full reload when nothing accepts the update).
      environment.moduleGraph.invalidateModule(mod);
      await environment.reloadModule(mod);
    }
  }
}
