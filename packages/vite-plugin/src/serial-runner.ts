/** A task run one at a time, with calls debounced and folded together. */
export interface SerialRunner {
  /** Runs the task after `delayMs` of quiet; calls within that time restart the wait. */
  schedule(): void;
  /** Runs the task now, or once more after the current run; resolves when that run is done. */
  run(): Promise<void>;
  /** Resolves when nothing is scheduled or running. */
  idle(): Promise<void>;
  /** Cancels what is scheduled and resolves when the current run is done. */
  close(): Promise<void>;
}

/**
 * Runs `task` never twice at once: a file saved while a run is going starts one more run
 * after it, however many saves arrive, so the same image is never generated twice in
 * parallel and the last edit always wins. `task` reports its own errors; a throw goes to
 * `onError` and does not stop later runs.
 */
export function serialRunner(
  task: () => Promise<void>,
  delayMs: number,
  onError: (error: unknown) => void,
): SerialRunner {
  if (!Number.isFinite(delayMs) || delayMs < 0) {
    throw new TypeError(`delayMs must be a non-negative number, got ${delayMs}`);
  }
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await task();
        } catch (error) {
          onError(error);
        }
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    schedule() {
      if (closed) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        void run();
      }, delayMs);
    },
    run,
    async idle() {
      while (timer || running) {
        await (running ?? new Promise((resolve) => setTimeout(resolve, delayMs)));
      }
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
