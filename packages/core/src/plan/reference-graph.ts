import type { ResolvedImage } from '../manifest/resolved-manifest.js';

/** The `{ image: <id> }` references of a manifest as a graph. */
export interface ReferenceGraph {
  /** Every image, each after the images it references (ids sorted among equals). */
  order: ResolvedImage[];
  /** Longest chain of references above an image: 0 for one that references no image. */
  depth: ReadonlyMap<string, number>;
  /**
   * Images in the longest chain that starts at an image and runs down through the images
   * built on it, itself included: 1 for an image nothing references. The scheduler starts
   * the ready image with the most work behind it first.
   */
  height: ReadonlyMap<string, number>;
  /** Whether any image references another. */
  hasEdges: boolean;
}

/**
 * Orders images so each comes after what it references (Kahn's algorithm, ids kept sorted
 * among the ready ones so the order is stable). Pure. A reference to an unknown id is ignored
 * and images on a cycle come last, in id order: load-manifest.ts refuses both with their
 * lines, so only a hand-built manifest gets here with one.
 */
export function referenceGraph(images: readonly ResolvedImage[]): ReferenceGraph {
  const byId = new Map(images.map((i) => [i.id, i]));
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  let hasEdges = false;
  for (const image of images) {
    let n = 0;
    for (const up of image.imageReferences) {
      if (!byId.has(up) || up === image.id) continue;
      n++;
      hasEdges = true;
      const list = dependents.get(up);
      if (list) list.push(image.id);
      else dependents.set(up, [image.id]);
    }
    waiting.set(image.id, n);
  }
  const order: ResolvedImage[] = [];
  const depth = new Map<string, number>();
  const ready = images.filter((i) => waiting.get(i.id) === 0);
  for (let k = 0; k < ready.length; k++) {
    const image = ready[k]!;
    order.push(image);
    let d = 0;
    for (const up of image.imageReferences) {
      const du = depth.get(up);
      if (du !== undefined && du + 1 > d) d = du + 1;
    }
    depth.set(image.id, d);
    for (const down of dependents.get(image.id) ?? []) {
      const left = waiting.get(down)! - 1;
      waiting.set(down, left);
      if (left === 0) ready.push(byId.get(down)!);
    }
  }
  if (order.length < images.length) {
    for (const image of images) {
      if (depth.has(image.id)) continue;
      order.push(image);
      depth.set(image.id, 0);
    }
  }
  const height = new Map<string, number>();
  for (let k = order.length - 1; k >= 0; k--) {
    const id = order[k]!.id;
    let h = 1;
    for (const down of dependents.get(id) ?? []) {
      const hd = height.get(down);
      if (hd !== undefined && hd + 1 > h) h = hd + 1;
    }
    height.set(id, h);
  }
  return { order, depth, height, hasEdges };
}
