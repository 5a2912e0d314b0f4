import { formatAmount, plural, type Currency } from '@pixlock/core/light';
import type { ShardSplit } from '@pixlock/core';

/**
 * The balance of all n shards of a split, one line each, the chosen one marked: images (and
 * how many have work), provider tasks, credits, encoding (megapixels of WebP-equivalent) and
 * the work against the mean. Then a line per component too large to share a shard.
 */
export function formatShardBalance(
  split: ShardSplit,
  index: number,
  currency: Currency | undefined,
): string[] {
  const lines = [
    `Split of ${plural(split.total, 'shard')} (components of the image graph whole; work = share of the run's provider tasks + share of its encoding):`,
  ];
  const rows = split.loads.map((l) => [
    `${l.shard === index ? '>' : ' '} ${l.shard}/${split.total}`,
    `${l.images} images`,
    `${l.working} with work`,
    `${l.tasks} tasks`,
    formatAmount(l.credits, currency),
    `${l.encode.toFixed(1)} MP encode`,
    `work ${l.work.toFixed(2)}× mean`,
  ]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows)
    lines.push(
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  '),
    );
  for (const o of split.oversized)
    lines.push(
      `  component ${o.ids[0]} (${plural(o.ids.length, 'image')}) alone is ${o.work.toFixed(2)}× a shard's mean work: shard ${o.shard} holds it and nothing else with work`,
    );
  return lines;
}

/** `shard 2/4 (GitLab CI …): 250 of 1,000 images, 240 with work` */
export function shardHeadline(
  split: ShardSplit,
  index: number,
  source: string | undefined,
): string {
  const load = split.loads[index - 1]!;
  const all = split.loads.reduce((n, l) => n + l.images, 0);
  return `shard ${index}/${split.total}${source ? ` (from ${source})` : ''}: ${load.images} of ${plural(all, 'image')}, ${load.working} with work`;
}
