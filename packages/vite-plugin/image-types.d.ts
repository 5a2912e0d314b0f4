// The shape of `pixlock:<id>` and `virtual:pixlock`, without any `pixlock:<id>` module. The
// generated pixlock-env.d.ts references this file and declares one module per id, so a
// mistyped id is a type error. client.d.ts adds a `pixlock:*` catch-all on top of it.

declare module 'virtual:pixlock' {
  /** One generated image, as `import image from 'pixlock:<id>'` gives it. */
  export interface PixlockImage {
    /** The id in pixlock.yaml, e.g. `team/ada`. */
    readonly id: string;
    /** URL of the main output file (hashed and under `base` in a build). */
    readonly src: string;
    /** Pixel width of the main file. */
    readonly width: number;
    /** Pixel height of the main file. */
    readonly height: number;
    /** Every output width as `url 640w, ...`, narrowest first; pair it with `sizes`. */
    readonly srcset: string;
    /** Encoding of the files. */
    readonly format: 'webp' | 'avif' | 'png' | 'jpeg';
    /** A tiny blurred `data:` image to show (e.g. as a CSS background) while `src` loads. */
    readonly placeholder: string;
    /** The prompt it was generated from: a starting point for `alt` text. */
    readonly prompt: string;
  }

  /** Every image by id; pixlock-env.d.ts adds one property per id. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface PixlockImages {}

  const images: PixlockImages;
  export default images;
}
