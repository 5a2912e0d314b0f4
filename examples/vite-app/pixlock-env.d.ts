// Written by pixlock from pixlock.yaml; rewritten when it changes. Do not edit.
/// <reference types="@pixlock/vite-plugin/image-types" />

declare module 'virtual:pixlock' {
  interface PixlockImages {
    'gallery/dunes': PixlockImage;
    'gallery/forest': PixlockImage;
    'gallery/glacier': PixlockImage;
    'gallery/harbour': PixlockImage;
    hero: PixlockImage;
  }
}

declare module 'pixlock:gallery/dunes' {
  import type { PixlockImage } from 'virtual:pixlock';
  const image: PixlockImage;
  export default image;
}

declare module 'pixlock:gallery/forest' {
  import type { PixlockImage } from 'virtual:pixlock';
  const image: PixlockImage;
  export default image;
}

declare module 'pixlock:gallery/glacier' {
  import type { PixlockImage } from 'virtual:pixlock';
  const image: PixlockImage;
  export default image;
}

declare module 'pixlock:gallery/harbour' {
  import type { PixlockImage } from 'virtual:pixlock';
  const image: PixlockImage;
  export default image;
}

declare module 'pixlock:hero' {
  import type { PixlockImage } from 'virtual:pixlock';
  const image: PixlockImage;
  export default image;
}
