/**
 * `<picture>` HTML from a `pixlock:<id>` import, with no framework and no DOM: a string for
 * `innerHTML`, a server template or a static page. Browser-safe (this module imports
 * nothing), so an app imports it from `@pixlock/vite-plugin/picture`.
 */

/** One `<source>`: a format's files as a srcset. */
export interface PictureSource {
  /** Media type, e.g. `image/avif`. */
  readonly type: string;
  readonly srcset: string;
  readonly format?: string;
}

/** What the helper reads from an image; a `PixlockImage` has all of it. */
export interface PictureImage {
  readonly src: string;
  readonly width: number;
  readonly height: number;
  readonly srcset?: string;
  readonly sizes?: string;
  readonly alt?: string;
  readonly placeholder?: string;
  /** Every format in order of preference; the last is the `<img>`'s own. */
  readonly sources?: readonly PictureSource[];
}

/** Attributes of the rendered `<img>`; each beats what the image carries. */
export interface PictureOptions {
  /** Alt text (default: the manifest's `alt`, else empty, which marks the image decorative). */
  alt?: string;
  /** The sizes attribute (default: the manifest's `sizes`; without one, browsers take 100vw). */
  sizes?: string;
  /** A class on the `<img>`. */
  class?: string;
  /** Default `lazy`; `eager` for an image in the first screen. */
  loading?: 'lazy' | 'eager';
  /** Default `async`. */
  decoding?: 'async' | 'sync' | 'auto';
  fetchpriority?: 'high' | 'low' | 'auto';
  /** Show the blurred placeholder behind the `<img>` until it loads (default false). */
  placeholder?: boolean;
  /**
   * Keep the `<img>` inside its container (default true): `max-width:100%;height:auto` as an
   * inline style, so a 1600 px image shrinks with a narrow column and keeps its shape, while
   * `width`/`height` still let the browser reserve its space before it loads. `false` leaves
   * the sizing to your CSS.
   */
  fluid?: boolean;
}

/** What keeps an `<img>` with `width`/`height` inside its container, in its aspect ratio. */
export const FLUID_STYLE = 'max-width:100%;height:auto';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for a double-quoted HTML attribute (and for text, which needs less). */
export function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function attributes(pairs: [string, string | number | undefined][]): string {
  return pairs
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join('');
}

/**
 * Renders `<picture>`: one `<source>` per preferred format (the fallback's is the `<img>`
 * itself), and an `<img>` with `src`, `srcset`, `sizes`, `width`, `height` (no layout shift),
 * `alt`, and a style that keeps it inside its container (see `fluid`). Every value is escaped.
 */
export function pictureHtml(image: PictureImage, options: PictureOptions = {}): string {
  const sizes = options.sizes ?? image.sizes;
  const sources = (image.sources ?? []).slice(0, -1).map(
    (s) =>
      `<source${attributes([
        ['type', s.type],
        ['srcset', s.srcset],
        ['sizes', sizes],
      ])}>`,
  );
  const styles = [
    ...(options.fluid === false ? [] : [FLUID_STYLE]),
    ...(options.placeholder && image.placeholder
      ? [`background-image:url("${image.placeholder}");background-size:cover`]
      : []),
  ];
  const style = styles.length > 0 ? styles.join(';') : undefined;
  const img = `<img${attributes([
    ['src', image.src],
    ['srcset', image.srcset || undefined],
    ['sizes', sizes],
    ['width', image.width],
    ['height', image.height],
    ['alt', options.alt ?? image.alt ?? ''],
    ['class', options.class],
    ['loading', options.loading ?? 'lazy'],
    ['decoding', options.decoding ?? 'async'],
    ['fetchpriority', options.fetchpriority],
    ['style', style],
  ])}>`;
  return `<picture>${sources.join('')}${img}</picture>`;
}
