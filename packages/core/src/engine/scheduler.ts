import { ReadyQueue } from './ready-queue.js';

/** One unit of work for {@link schedule}. */
export interface Job<R> {
  /** Unique among the jobs. */
  id: string;
  /** Ids of jobs that must end first; when one of them fails this job is skipped. */
  after?: readonly string[];
  /**
   * Among ready jobs, a higher priority starts first (ties: input order). A graph gives each
   * job the length of the longest chain still behind it, so long chains are not left for last.
   */
  priority?: number;
  run(): Promise<R>;
}

/** Options of {@link schedule}. */
export interface ScheduleOptions<R, J extends Job<R> = Job<R>> {
  /**
   * Most jobs running at once. Jobs waiting on a resource (a provider slot, a pipeline slot)
   * count, so this bounds the memory of a run however many jobs it has.
   */
  window: number;
  /** Whether a result counts as failed for the jobs that wait on it. */
  failed(result: R): boolean;
  /** The result of a job that is not run because a job it waits on failed. */
  skipped(job: J, failedDependency: string): R;
  /** Called as each job ends (run or skipped), in the order they end. */
  onResult?(job: J, result: R): void;
}

/**
 * Runs jobs in order, at most `window` at a time, each after the jobs it waits on. A job's
 * rejection is a bug, and rejects the whole schedule once what is running has ended.
 * Results come back in the order of `jobs`.
 * @throws TypeError for a duplicate id, an unknown dependency or a cycle.
 */
export async function schedule<R, J extends Job<R> = Job<R>>(
  jobs: readonly J[],
  options: ScheduleOptions<R, J>,
): Promise<R[]> {
  if (!Number.isInteger(options.window) || options.window < 1)
    throw new TypeError(`schedule: window must be a positive integer, got ${options.window}`);
  const index = new Map<string, number>();
  jobs.forEach((job, i) => {
    if (index.has(job.id)) throw new TypeError(`schedule: duplicate job id "${job.id}"`);
    index.set(job.id, i);
  });
  // Most jobs have no dependents: an array only for those that do.
  const dependents: (number[] | undefined)[] = new Array(jobs.length);
  const pending = new Int32Array(jobs.length);
  jobs.forEach((job, i) => {
    if (!job.after) return;
    for (const dep of job.after) {
      const d = index.get(dep);
      if (d === undefined) throw new TypeError(`schedule: "${job.id}" waits on unknown "${dep}"`);
      (dependents[d] ??= []).push(i);
    }
    pending[i] = new Set(job.after).size;
  });
  assertAcyclic(jobs, index);

  const results: R[] = new Array(jobs.length);
  const failedDep: (string | undefined)[] = new Array(jobs.length);
  // Ready jobs by priority, then input order.
  const ready = new ReadyQueue(jobs.map((job) => job.priority ?? 0));
  pending.forEach((n, i) => n === 0 && ready.push(i));
  let running = 0;
  let ended = 0;
  let bug: unknown;
  let hasBug = false;

  return new Promise<R[]>((resolve, reject) => {
    const finish = (i: number, result: R) => {
      results[i] = result;
      ended++;
      options.onResult?.(jobs[i]!, result);
      const failed = options.failed(result);
      for (const d of dependents[i] ?? []) {
        if (failed) failedDep[d] ??= jobs[i]!.id;
        if (--pending[d]! === 0) ready.push(d);
      }
      dependents[i] = undefined;
    };
    const pump = () => {
      while (!hasBug && running < options.window && ready.size > 0) {
        const i = ready.pop();
        const dep = failedDep[i];
        if (dep !== undefined) {
          finish(i, options.skipped(jobs[i]!, dep));
          continue;
        }
        running++;
        jobs[i]!.run().then(
          (result) => {
            running--;
            finish(i, result);
            pump();
          },
          (error: unknown) => {
            running--;
            if (!hasBug) [hasBug, bug] = [true, error];
            pump();
          },
        );
      }
      if (running > 0) return;
      if (hasBug) reject(bug);
      else if (ended === jobs.length) resolve(results);
    };
    pump();
  });
}

function assertAcyclic<R>(jobs: readonly Job<R>[], index: Map<string, number>): void {
  // Iterative colouring DFS: 0 unseen, 1 on the current path, 2 done.
  const colour = new Uint8Array(jobs.length);
  for (let start = 0; start < jobs.length; start++) {
    if (colour[start]) continue;
    const stack: [number, number][] = [[start, 0]];
    colour[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = jobs[top[0]]!.after ?? [];
      if (top[1] >= deps.length) {
        colour[top[0]] = 2;
        stack.pop();
        continue;
      }
      const next = index.get(deps[top[1]++]!)!;
      if (colour[next] === 1)
        throw new TypeError(`schedule: "${jobs[next]!.id}" waits on itself through a cycle`);
      if (colour[next] === 0) {
        colour[next] = 1;
        stack.push([next, 0]);
      }
    }
  }
}
