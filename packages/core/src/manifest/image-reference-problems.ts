import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import { closestName } from '../util/closest-name.js';
import type { ReferenceInput } from './schema.js';

/** The images of one manifest file as written, for {@link imageReferenceProblems}. */
export interface ImageSource {
  file: string;
  images: Record<string, { references?: readonly ReferenceInput[] | undefined }>;
}

type Locate = (file: string, path: (string | number)[]) => { line: number; column: number };

interface Edge {
  from: string;
  to: string;
  file: string;
  path: (string | number)[];
}

/**
 * What is wrong with the `{ image: <id> }` references of a whole manifest: an id no file
 * declares, an image naming itself, and every cycle, each reported once at its first edge with
 * the file:line of every edge in its message (a cycle spans files; the user must see all of it).
 * Pure: positions come from `locate`, and `dir` only shortens the file names in messages.
 */
export function imageReferenceProblems(
  sources: readonly ImageSource[],
  dir: string,
  locate: Locate,
): Diagnostic[] {
  const declared = new Set<string>();
  for (const s of sources) for (const id of Object.keys(s.images)) declared.add(id);
  const out: Diagnostic[] = [];
  const at = (edge: Edge, message: string): Diagnostic => {
    const { line, column } = locate(edge.file, edge.path);
    return { file: edge.file, path: edge.path, line, column, message };
  };
  const edges = new Map<string, Edge[]>();
  const seen = new Set<string>();
  for (const { file, images } of sources) {
    for (const [id, image] of Object.entries(images)) {
      // A duplicate id is reported elsewhere; its second definition is not used.
      if (seen.has(id)) continue;
      seen.add(id);
      (image.references ?? []).forEach((ref, i) => {
        if (typeof ref === 'string') return;
        const edge: Edge = { from: id, to: ref.image, file, path: ['images', id, 'references', i] };
        if (ref.image === id) {
          out.push(at(edge, `image "${id}" references itself`));
        } else if (!declared.has(ref.image)) {
          const near = closestName(ref.image, [...declared]);
          out.push(
            at(
              edge,
              `reference to unknown image "${ref.image}"${near ? ` (did you mean "${near}"?)` : ''}`,
            ),
          );
        } else {
          const list = edges.get(id) ?? [];
          list.push(edge);
          edges.set(id, list);
        }
      });
    }
  }
  for (const cycle of findCycles(edges)) {
    const where = cycle.map((e) => {
      const { line } = locate(e.file, e.path);
      return `${e.from} → ${e.to} (${path.relative(dir, e.file) || e.file}:${line})`;
    });
    out.push(at(cycle[0]!, `reference cycle: ${where.join(', ')}`));
  }
  return out;
}

/** One cycle per strongly connected knot found by a depth-first walk, as its edges in order. */
function findCycles(edges: ReadonlyMap<string, Edge[]>): Edge[][] {
  // Iterative colouring DFS (0 unseen, 1 on the path, 2 done): a manifest of 100k images in
  // one chain must not overflow the stack.
  const colour = new Map<string, 1 | 2>();
  const cycles: Edge[][] = [];
  for (const start of [...edges.keys()].sort()) {
    if (colour.has(start)) continue;
    const trail: Edge[] = [];
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    colour.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const out = edges.get(top.id) ?? [];
      if (top.next >= out.length) {
        colour.set(top.id, 2);
        stack.pop();
        trail.pop();
        continue;
      }
      const edge = out[top.next++]!;
      const c = colour.get(edge.to);
      if (c === 1) {
        const from = trail.findIndex((e) => e.from === edge.to);
        cycles.push([...(from < 0 ? [] : trail.slice(from)), edge]);
      } else if (c === undefined) {
        colour.set(edge.to, 1);
        trail.push(edge);
        stack.push({ id: edge.to, next: 0 });
      }
    }
  }
  return cycles;
}
