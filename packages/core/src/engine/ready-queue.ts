/**
 * Indices of ready jobs: the highest priority first, the lowest index among equals. A binary
 * heap, so a run of 100,000 images picks each next job in O(log n).
 */
export class ReadyQueue {
  readonly #heap: number[] = [];

  constructor(private readonly priority: readonly number[]) {}

  get size(): number {
    return this.#heap.length;
  }

  push(index: number): void {
    const heap = this.#heap;
    heap.push(index);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** Removes and returns the next index; the queue must not be empty. */
  pop(): number {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < heap.length && this.#before(heap[l]!, heap[best]!)) best = l;
        if (r < heap.length && this.#before(heap[r]!, heap[best]!)) best = r;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best]!, heap[i]!];
        i = best;
      }
    }
    return top;
  }

  #before(a: number, b: number): boolean {
    const pa = this.priority[a]!;
    const pb = this.priority[b]!;
    return pa !== pb ? pa > pb : a < b;
  }
}
