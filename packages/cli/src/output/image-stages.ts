import type { EngineEvent } from '@pixlock/core';
import { PROVIDER_ACTIONS } from '@pixlock/core/light';

/** Where an image in flight is, as the progress bar names it. */
export type ImageStage = 'creating' | 'waiting' | 'downloading' | 'processing';

const ORDER: readonly ImageStage[] = ['creating', 'waiting', 'downloading', 'processing'];

/**
 * Follows engine events to know the stage of every image in flight: a provider image is
 * `creating` until its task exists, `waiting` while the provider renders it, then
 * `downloading` and `processing`; a local rebuild is `processing` throughout.
 */
export class ImageStages {
  readonly #stages = new Map<string, ImageStage>();

  /** Applies one event; true when a stage changed. */
  apply(e: EngineEvent): boolean {
    switch (e.type) {
      case 'image-start':
        this.#stages.set(e.id, PROVIDER_ACTIONS.has(e.action) ? 'creating' : 'processing');
        return true;
      case 'task-created':
      case 'task-resumed':
        this.#stages.set(e.id, 'waiting');
        return true;
      case 'image-stage':
        this.#stages.set(e.id, e.stage);
        return true;
      case 'image-end':
        return this.#stages.delete(e.result.id);
      default:
        return false;
    }
  }

  /** "2 creating, 5 waiting, 1 processing": the stages with images in them, in run order. */
  summary(): string {
    const counts = new Map<ImageStage, number>();
    for (const stage of this.#stages.values()) counts.set(stage, (counts.get(stage) ?? 0) + 1);
    return ORDER.filter((s) => counts.has(s))
      .map((s) => `${counts.get(s)} ${s}`)
      .join(', ');
  }
}
