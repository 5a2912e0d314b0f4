/** The `outDir` of the starter manifest. */
export const STARTER_OUT_DIR = 'generated';

/** The commented manifest `pixlock init` writes: every option shown, runnable offline as is. */
export function starterManifest(): string {
  return `# yaml-language-server: $schema=./.pixlock/pixlock.schema.json
# pixlock: images as code. Edit this file, then run "pixlock plan" and "pixlock generate".
version: 1

provider:
  # placeholder: offline and free, draws the id and prompt on a coloured card.
  # kinovi: the real API (NanoBanana 2); set KINOVI_API_KEY in the environment or in .env.
  # gemini: Google's Gemini API (model: gemini-3.1-flash-image, mode: interactive | batch at
  #   half price); set GEMINI_API_KEY in the environment or in .env.
  name: placeholder
  model: nanobanana2

# Where the processed images go, relative to this file.
outDir: ${STARTER_OUT_DIR}
# Provider tasks in flight at once.
concurrency: 4
# Most credits one run may spend (15 per 1k/2k image, 25 per 4k; 200 credits = $1).
# budget: 300

# More manifest files with "images:" only; ids must be unique across all of them.
# include: ["src/**/*.pixlock.yaml"]

# Merged under every image.
defaults:
  aspectRatio: "3:4" # 1:1 3:4 4:3 16:9 9:16
  resolution: 2k # 1k 2k 4k
  negativePrompt: text, watermark
  output: { format: webp, quality: 80 }
  # Reference images: https:// URLs, or image files inside this repository (PNG, JPEG, WebP, GIF).
  # references: [refs/style.png]

images:
  # The id is the file name: lowercase, "/" makes folders.
  hero:
    prompt: A futuristic cityscape at sunset, ultra detailed
    seed: 42 # optional; when omitted one is chosen once and pinned in pixlock.lock
    aspectRatio: "16:9"
    # What the Vite import may carry into your app's bundle besides the image: none of prompt,
    # negativePrompt, seed, taskId unless listed (prompts are often internal).
    # expose: [prompt]
    output:
      format: avif
      quality: 60
      widths: [640, 1280] # a responsive set: hero-640.avif, hero-1280.avif
  team/avatar:
    prompt: A friendly robot portrait, flat illustration
    aspectRatio: "1:1"
    resolution: 1k
    output: { format: png, width: 256 }
`;
}
