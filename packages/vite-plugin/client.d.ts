// Types for `import x from 'pixlock:<id>'` and `virtual:pixlock` with no generated file:
// `"types": ["@pixlock/vite-plugin/client"]` in tsconfig.json is enough. Any id type-checks
// here; for a type error on a mistyped id, include the generated pixlock-env.d.ts instead,
// which declares one module per id (and do not list this file, whose catch-all would accept
// the typo).
// A reference, not an import: an import would make this file a module, and the declarations
// below would no longer be global.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./image-types.d.ts" />

declare module 'pixlock:*' {
  import type { PixlockImage } from 'virtual:pixlock';
  const image: PixlockImage;
  export default image;
}
