import type { ResolvedImage } from '../manifest/resolved-manifest.js';

/** Images joined by `{ image: <id> }` references, either way: they run on one shard. */
export interface ImageComponent {
  /** Its smallest id: what places it (split-shards.ts), unchanged while that image stays. */
  key: string;
  /** Every id in it, sorted. */
  ids: string[];
}

/**
 * The connected components of the image graph (references taken as undirected edges), by
 * union-find. A shard never waits on another because an image and everything it is built on,
 * or built into, are one component. References to ids not in the list are ignored (load-manifest
 * refuses them with their line). Pure; components come sorted by key.
 */
export function imageComponents(
  images: readonly Pick<ResolvedImage, 'id' | 'imageReferences'>[],
): ImageComponent[] {
  const parent = new Map<string, string>();
  for (const image of images) parent.set(image.id, image.id);
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    // Path compression keeps long reference chains cheap.
    for (let at = id; at !== root;) {
      const next = parent.get(at)!;
      parent.set(at, root);
      at = next;
    }
    return root;
  };
  for (const image of images) {
    for (const up of image.imageReferences) {
      if (!parent.has(up)) continue;
      const a = find(image.id);
      const b = find(up);
      // The smaller id becomes the root, so a component's root is its smallest id.
      if (a < b) parent.set(b, a);
      else if (b < a) parent.set(a, b);
    }
  }
  const groups = new Map<string, string[]>();
  for (const image of images) {
    const root = find(image.id);
    const group = groups.get(root);
    if (group) group.push(image.id);
    else groups.set(root, [image.id]);
  }
  return [...groups]
    .map(([key, ids]) => ({ key, ids: ids.sort(byCodeUnit) }))
    .sort((x, y) => byCodeUnit(x.key, y.key));
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
