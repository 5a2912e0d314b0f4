import hero from 'pixlock:hero';
import images from 'virtual:pixlock';
import type { PixlockImage } from 'virtual:pixlock';

/** An <img> over its blurred placeholder, fading in once loaded. */
function picture(image: PixlockImage, sizes: string, eager = false): HTMLElement {
  const frame = document.createElement('figure');
  frame.className = 'frame';
  frame.style.backgroundImage = `url("${image.placeholder}")`;
  frame.style.aspectRatio = `${image.width} / ${image.height}`;
  const img = document.createElement('img');
  img.src = image.src;
  img.srcset = image.srcset;
  img.sizes = sizes;
  img.width = image.width;
  img.height = image.height;
  img.alt = image.alt ?? '';
  img.loading = eager ? 'eager' : 'lazy';
  img.decoding = 'async';
  const shown = () => img.classList.add('loaded');
  // A cached image may be complete before the listener is attached.
  if (img.complete) shown();
  else img.addEventListener('load', shown, { once: true });
  frame.append(img);
  return frame;
}

document.querySelector('#hero')!.append(picture(hero, '100vw', true));

const gallery = Object.entries(images)
  .filter(([id]) => id.startsWith('gallery/'))
  .map(([, image]) => picture(image, '(min-width: 720px) 50vw, 100vw'));
document.querySelector('#gallery')!.append(...gallery);
