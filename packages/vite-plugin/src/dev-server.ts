import path from 'node:path';
import { describeImage, errorMessage, projectPaths, type Project } from '@pixlock/core';
import type { DevEnvironment, EnvironmentModuleNode, ErrorPayload, ViteDevServer } from 'vite';
import { ALL_IMAGES_ID, imageModuleId } from './image-modules.js';
import { frozenMessage, standInNote } from './messages.js';
import type { PluginSettings } from './plugin-settings.js';
import { serialRunner } from './serial-runner.js';
import type { SyncOutcome } from './sync-images.js';
import { toViteError } from './vite-error.js';

/** Quiet time after a save before regenerating: editors write a file in several steps. */
const DEBOUNCE_MS = 150;

/** What {@link watchProject} gives the plugin. */
export interface DevWatch {
  /** Resolves when no run is scheduled or underway (the first run starts at once). */
  idle(): Promise<void>;
  /**
   * The plugin's `hotUpdate` for a change to `file`: when it is the manifest, a file it
   * includes or the lock, waits for the run that change starts and gives the image modules
   * it changed, for Vite to send as one update (or one full reload). Undefined for files of
   * no concern to pixlock.
   */
  updatesFor(file: string, environment: DevEnvironment): Promise<EnvironmentModuleNode[] | void>;
  /** Stops watching and waits for a run underway. */
  close(): Promise<void>;
}

/**
 * Keeps the dev server's images current: syncs once at start, then again whenever the
 * manifest, an included file or the lock changes (the lock, when `pixlock generate` ran in a
 * terminal). Runs are serialized. The page gets one update per save, however many files the
 * run rewrote: output files are served as plain URLs, not imported (see dev-url.ts), so they
 * send none of their own, and the image modules a run changed go out together through the
 * `hotUpdate` of the save itself. Never throws into the server: problems go to the log and
 * the error overlay, which every page that connects while the manifest is broken gets again.
 */
export function watchProject(
  server: ViteDevServer,
  settings: PluginSettings,
  refresh: () => Promise<SyncOutcome>,
  current: () => Project | undefined,
): DevWatch {
  const watched = new Set([settings.config, projectPaths(settings.config).lockFile]);
  let lastWarning = '';
  /** The overlay to show while the manifest is broken. */
  let broken: ErrorPayload | undefined;
  /** Per environment: image modules changed by runs and not yet sent. */
  const pending = new Map<string, Set<string>>();
  /** Per environment: the page must start over (the manifest came back from broken). */
  const restart = new Set<string>();

  const runner = serialRunner(
    async () => {
      const before = fingerprints(current());
      let outcome: SyncOutcome;
      try {
        outcome = await refresh();
      } catch (error) {
        const payload = toViteError(error, settings.root);
        server.config.logger.error(`[pixlock] ${payload.message}`, { timestamp: true });
        broken = { type: 'error', err: { ...payload, stack: '', plugin: 'pixlock' } };
        server.environments.client.hot.send(broken);
        return;
      }
      for (const file of outcome.project.manifest.files) watched.add(path.resolve(file));
      server.watcher.add([...watched]);
      // Say each problem once, not on every save.
      const warning = warnings(outcome, settings);
      if (warning && warning !== lastWarning) settings.logger.warn(warning);
      lastWarning = warning;
      const changed = changedModules(before, fingerprints(outcome.project));
      for (const environment of Object.values(server.environments)) {
        const set = pending.get(environment.name) ?? new Set();
        for (const id of changed) {
          const mod = environment.moduleGraph.getModuleById(id);
          if (!mod) continue;
          // At once, so a page that loads before the update goes out gets the new code.
          environment.moduleGraph.invalidateModule(mod);
          set.add(id);
        }
        pending.set(environment.name, set);
        // Modules that failed to load while the manifest was broken are not in the graph to
        // update, and the overlay is up: start the page over.
        if (broken) restart.add(environment.name);
      }
      broken = undefined;
    },
    DEBOUNCE_MS,
    (error) => settings.logger.warn(`sync failed: ${errorMessage(error)}`),
  );

  server.watcher.add([...watched]);
  server.watcher.on('all', (_event, file) => {
    if (watched.has(path.resolve(file))) runner.schedule();
  });
  // A page loaded (or reloaded) while the manifest is broken shows the overlay too.
  server.environments.client.hot.on('vite:client:connect', (_data, client) => {
    if (broken) client.send(broken);
  });
  void runner.run();
  return {
    idle: () => runner.idle(),
    async updatesFor(file, environment) {
      if (!watched.has(path.resolve(file))) return undefined;
      await runner.idle();
      if (restart.delete(environment.name)) {
        pending.delete(environment.name);
        environment.hot.send({ type: 'full-reload' });
        return [];
      }
      const ids = pending.get(environment.name) ?? new Set<string>();
      pending.delete(environment.name);
      // The first save to settle takes every change; the saves folded into its run get [].
      return [...ids].flatMap((id) => environment.moduleGraph.getModuleById(id) ?? []);
    },
    close: () => runner.close(),
  };
}

function warnings(outcome: SyncOutcome, settings: PluginSettings): string {
  const parts: string[] = [];
  if (outcome.blocked.length > 0) {
    parts.push(frozenMessage(outcome.blocked, settings.mode.reason, settings.config));
  }
  if (outcome.failed.length > 0 || outcome.stoppedBy) {
    parts.push([outcome.stoppedBy, ...outcome.failed].filter(Boolean).join('\n'));
  }
  if (outcome.placeholders.length > 0) parts.push(standInNote(outcome.placeholders));
  return parts.join('\n');
}

/** What a module's code depends on, per image id; a change means update that module. */
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

/** The resolved ids of the modules whose code a run changed. */
function changedModules(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = [...after].filter(([id, print]) => before.get(id) !== print).map(([id]) => id);
  const idsChanged = before.size !== after.size || [...before.keys()].some((id) => !after.has(id));
  if (changed.length === 0 && !idsChanged) return [];
  return [...changed.map(imageModuleId), ALL_IMAGES_ID];
}
