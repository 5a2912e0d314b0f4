import { plural, PROVIDER_ACTIONS, type Plan, type PlanEntry } from '@pixlock/core/light';
import { createStyle } from './style.js';

/** Options of {@link formatPlanGraph}. */
export interface FormatPlanGraphOptions {
  /** Colour what will run (ANSI). */
  color?: boolean;
}

/**
 * The images that reference other images, as trees a person can read in a terminal: each
 * image under the images it is drawn from, with what the run does to it. An image drawn from
 * two images is drawn in full under the first and named under the others, so the output stays
 * linear in the number of edges. Images in no reference at all are counted, not listed.
 */
export function formatPlanGraph(plan: Plan, options: FormatPlanGraphOptions = {}): string[] {
  const style = createStyle(options.color ?? false);
  const entries = plan.entries.filter((e) => e.action !== 'orphan');
  const byId = new Map(entries.map((e) => [e.id, e]));
  const below = new Map<string, string[]>();
  for (const e of entries) {
    for (const up of e.references ?? []) {
      const list = below.get(up);
      if (list) list.push(e.id);
      else below.set(up, [e.id]);
    }
  }
  const inGraph = (e: PlanEntry) => (e.references?.length ?? 0) > 0 || below.has(e.id);
  const roots = entries.filter((e) => inGraph(e) && (e.depth ?? 0) === 0);
  const loose = entries.length - entries.filter(inGraph).length;
  if (roots.length === 0) {
    return ['No image references another (references: [{ image: <id> }]).'];
  }
  const width = Math.min(48, Math.max(...entries.filter(inGraph).map((e) => e.id.length)) + 8);
  const shown = new Set<string>();
  const lines: string[] = [];
  const what = (e: PlanEntry) => {
    const runs = PROVIDER_ACTIONS.has(e.action);
    const action = runs
      ? style.yellow(e.action)
      : e.action === 'unchanged'
        ? style.dim(e.action)
        : style.cyan(e.action);
    const why = e.action === 'unchanged' ? '' : `  ${e.reason}`;
    return `${action}${why}`;
  };
  const walk = (id: string, prefix: string, branch: string) => {
    const e = byId.get(id);
    if (!e) return;
    const label = `${prefix}${branch}${id}`;
    if (shown.has(id)) {
      lines.push(`${label}  ${style.dim('(drawn in full above)')}`);
      return;
    }
    shown.add(id);
    lines.push(`${label.padEnd(width)}  ${what(e)}`);
    const children = below.get(id) ?? [];
    const next = prefix + (branch === '' ? '' : branch === '└─ ' ? '   ' : '│  ');
    children.forEach((child, i) => walk(child, next, i === children.length - 1 ? '└─ ' : '├─ '));
  };
  for (const root of roots) walk(root.id, '', '');
  const edges = entries.reduce((n, e) => n + (e.references?.length ?? 0), 0);
  const runs = entries.filter((e) => inGraph(e) && PROVIDER_ACTIONS.has(e.action)).length;
  const depth = Math.max(...entries.map((e) => e.depth ?? 0));
  lines.push(
    '',
    `${plural(shown.size, 'image')} in the graph, ${plural(edges, 'reference')}, ${plural(depth + 1, 'level')}; ${runs} to draw. ${plural(loose, 'other image references', 'other images reference')} none.`,
  );
  return lines;
}
