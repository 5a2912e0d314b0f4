import { describe, expect, it } from 'vitest';
import { escapeAttribute, pictureHtml, type PictureImage } from './picture.js';

const image: PictureImage = {
  src: '/assets/hero-640.webp',
  width: 640,
  height: 360,
  srcset: '/assets/hero-320.webp 320w, /assets/hero-640.webp 640w',
  sizes: '(min-width: 800px) 50vw, 100vw',
  alt: 'A lighthouse',
  placeholder: 'data:image/webp;base64,AAAA',
  sources: [
    { type: 'image/avif', srcset: '/assets/hero-320.avif 320w, /assets/hero-640.avif 640w' },
    { type: 'image/webp', srcset: '/assets/hero-320.webp 320w, /assets/hero-640.webp 640w' },
  ],
};

describe('pictureHtml', () => {
  it('renders a source per preferred format and the fallback as the img', () => {
    expect(pictureHtml(image)).toBe(
      '<picture>' +
        '<source type="image/avif" srcset="/assets/hero-320.avif 320w, /assets/hero-640.avif 640w" sizes="(min-width: 800px) 50vw, 100vw">' +
        '<img src="/assets/hero-640.webp" srcset="/assets/hero-320.webp 320w, /assets/hero-640.webp 640w" sizes="(min-width: 800px) 50vw, 100vw" width="640" height="360" alt="A lighthouse" loading="lazy" decoding="async" style="max-width:100%;height:auto">' +
        '</picture>',
    );
  });

  it('takes options over the image, and an empty alt when none is given', () => {
    const html = pictureHtml(
      { ...image, alt: undefined, sources: undefined },
      { sizes: '100vw', loading: 'eager', fetchpriority: 'high', class: 'hero', placeholder: true },
    );
    expect(html).not.toContain('<source');
    expect(html).toContain(' sizes="100vw"');
    expect(html).toContain(' alt=""');
    expect(html).toContain(' loading="eager"');
    expect(html).toContain(' fetchpriority="high" ');
    expect(html).toContain(
      ' style="max-width:100%;height:auto;background-image:url(&quot;data:image/webp;base64,AAAA&quot;);background-size:cover"',
    );
  });

  it('leaves the sizing to the page with fluid: false, keeping width and height', () => {
    const html = pictureHtml(image, { fluid: false });
    expect(html).not.toContain('style=');
    expect(html).toContain(' width="640" height="360"');
  });

  it('escapes every value, so text from a manifest cannot break out of an attribute', () => {
    const html = pictureHtml(image, { alt: '"><script>alert(1)</script>', class: "a' onload='x" });
    expect(html).toContain('alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain('class="a&#39; onload=&#39;x"');
    expect(html).not.toContain('<script');
    expect(escapeAttribute('&amp;')).toBe('&amp;amp;');
  });
});
