/**
 * Raw RGB canvases kept for the next placeholder. A 1k placeholder is a 3 MiB buffer: one new
 * buffer per image is enough memory traffic outside the JS heap to make V8 run a full
 * mark-compact every few images, and a full collection costs in proportion to everything the
 * run holds (the manifest, the plan, the lock), so a fresh canvas per image made each image
 * slower the larger the manifest. Handing the same few buffers round removes that traffic.
 *
 * A canvas taken is drawn over completely before it is read (the background writes every
 * byte), so a reused one gives the same bytes as a new one.
 */
export class CanvasPool {
  readonly #idle: Buffer[] = [];

  /**
   * @param maxIdle Most canvases kept between images (about the renders that run at once).
   * @param maxBytes Larger canvases (4k: 48 MiB) are not kept: for them drawing, not the
   *   collector, is the cost, and holding them after the run would be memory for nothing.
   */
  constructor(
    readonly maxIdle = 4,
    readonly maxBytes = 16 * 2 ** 20,
  ) {
    if (!Number.isInteger(maxIdle) || maxIdle < 0)
      throw new TypeError(`CanvasPool: maxIdle must be a non-negative integer, got ${maxIdle}`);
  }

  /** Canvases kept now. */
  get idle(): number {
    return this.#idle.length;
  }

  /** A buffer of exactly `bytes`, reused when one is idle; its content is arbitrary. */
  take(bytes: number): Buffer {
    const i = this.#idle.findIndex((b) => b.length === bytes);
    if (i < 0) return Buffer.alloc(bytes);
    const [buf] = this.#idle.splice(i, 1);
    return buf!;
  }

  /** Gives a canvas back once nothing reads it any more (its PNG is made). */
  give(buf: Buffer): void {
    if (buf.length > this.maxBytes) return;
    // Other sizes go first: a run draws one size (its resolution and aspect) over and over.
    if (this.#idle.length >= this.maxIdle) this.#idle.shift();
    if (this.maxIdle > 0) this.#idle.push(buf);
  }
}
