import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, Node } from 'yaml';

// Loaded on first use: only a file with something to report needs positions, and the yaml
// package costs ~50 ms to load.
let yamlModule: typeof Yaml | undefined;
const yaml = () => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml);

/** A 1-based position in a text file. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Finds where a YAML path is written in a document. Built only when something needs
 * reporting: parsing with positions is many times slower than parsing for values.
 */
export class YamlLocator {
  readonly doc: Document;
  private readonly lines = new (yaml().LineCounter)();

  constructor(text: string) {
    this.doc = yaml().parseDocument(text, {
      lineCounter: this.lines,
      prettyErrors: false,
      uniqueKeys: true,
    });
  }

  /** Position of an offset. */
  at(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /**
   * Position of the value at `path`, or of its key when `key` is set; where the path does not
   * exist (a missing key), the nearest existing parent.
   */
  locate(path: readonly (string | number)[], key = false): Position {
    let node: unknown = this.doc.contents;
    let best = node as Node | null;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (yaml().isMap(node)) {
        const pair = node.items.find((p) => scalarValue(p.key) === String(seg));
        if (!pair) break;
        const last = i === path.length - 1;
        if (last && key) return this.nodePos(pair.key as Node);
        node = pair.value;
        best = (pair.value as Node | null) ?? (pair.key as Node);
      } else if (yaml().isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        if (!node) break;
        best = node as Node;
      } else {
        break;
      }
    }
    return this.nodePos(best);
  }

  private nodePos(node: Node | null | undefined): Position {
    return node?.range ? this.at(node.range[0]) : { line: 1, column: 1 };
  }
}

function scalarValue(node: unknown): string | undefined {
  if (node && typeof node === 'object' && 'value' in node) return String(node.value);
  return undefined;
}
