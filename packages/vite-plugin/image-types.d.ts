// The shape of `pixlock:<id>` and `virtual:pixlock`, without any `pixlock:<id>` module. The
// generated pixlock-env.d.ts references this file and declares one module per id, so a
// mistyped id is a type error. client.d.ts adds a `pixlock:*` catch-all on top of it.

declare module 'virtual:pixlock' {
  /** One format of an image: a `<source>` of a `<picture>`. */
  export interface PixlockSource {
    /** `avif`, `webp`, `png` or `jpeg`. */
    readonly format: 'webp' | 'avif' | 'png' | 'jpeg';
    /** Its media type, e.g. `image/avif`: the `<source>`'s `type`. */
    readonly type: string;
    /** Its files as `url 640w, ...`, narrowest first. */
    readonly srcset: string;
  }

  /** The `<img>` of a `<picture>`: the fallback format (the last of `formats`). */
  export interface PixlockImg {
    readonly src: string;
    readonly srcset: string;
    /** The manifest's `sizes`, if it sets one. */
    readonly sizes?: string;
    readonly width: number;
    readonly height: number;
  }

  /** One generated image, as `import image from 'pixlock:<id>'` gives it. */
  export interface PixlockImage {
    /** The id in pixlock.yaml, e.g. `team/ada`. */
    readonly id: string;
    /**
     * URL of the main file of the fallback format: the full-size file if written, else the
     * widest (hashed and under `base` in a build).
     */
    readonly src: string;
    /** Pixel width of that file. */
    readonly width: number;
    /** Pixel height of that file. */
    readonly height: number;
    /** The fallback format's widths as `url 640w, ...`, narrowest first; pair it with `sizes`. */
    readonly srcset: string;
    /** The fallback format (the only one, or the last of `formats`). */
    readonly format: 'webp' | 'avif' | 'png' | 'jpeg';
    /** Every format in order of preference, the fallback last: one `<source>` each. */
    readonly sources: readonly PixlockSource[];
    /** The `<img>` of a `<picture>`. */
    readonly img: PixlockImg;
    /** The manifest's `alt` for this image, if it has one. */
    readonly alt?: string;
    /** The manifest's `sizes`, if it sets one. */
    readonly sizes?: string;
    /** A tiny blurred `data:` image to show (e.g. as a CSS background) while `src` loads. */
    readonly placeholder: string;
    /**
     * The prompt it was generated from, only when the manifest lists `prompt` under the
     * image's `expose` (prompts are often internal; by default none ships). The generated
     * pixlock-env.d.ts types it as present for the images that expose it.
     */
    readonly prompt?: string;
    /** The negative prompt, only when `expose` lists `negativePrompt`. */
    readonly negativePrompt?: string;
    /** The seed the image was drawn with, only when `expose` lists `seed`. */
    readonly seed?: number;
    /** The provider's task id, only when `expose` lists `taskId`. */
    readonly taskId?: string;
  }

  /** Every image by id; pixlock-env.d.ts adds one property per id. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface PixlockImages {}

  const images: PixlockImages;
  export default images;
}
