// inspectImage decides what a photo is from its bytes alone and refuses anything that is not a
// whole JPEG / PNG / WebP ending where its format says it ends, or that carries another format
// or markup (a polyglot). Pure: no database.

import { describe, expect, it } from 'vitest';
import { AppError } from '../../api/errors';
import { inspectImage, MAX_PHOTO_BYTES } from '../../api/earning/photos';
import { concat, jpeg, png, pngChunk, tEXt, text, webp, zip, zTXt } from './photos-fixtures';

function refusal(bytes: Uint8Array): { code: string; status: number; message: string } {
  try {
    inspectImage(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    return { code: e.code, status: e.status, message: e.message };
  }
  throw new Error('expected the image to be refused');
}

/** A PNG padded with a private ancillary chunk of zeros to exactly `size` bytes. */
function pngOfSize(size: number): Uint8Array {
  const base = png();
  const pad = size - base.length - 12;
  const iend = base.length - 12;
  return concat(base.subarray(0, iend), pngChunk('prVt', new Uint8Array(pad)), base.subarray(iend));
}

describe('photos: what is accepted', () => {
  it('a real PNG, JPEG and WebP are recognised by their bytes, with their pixel size', () => {
    expect(inspectImage(png({ width: 3, height: 2 }))).toEqual({ mime: 'image/png', width: 3, height: 2 });
    expect(inspectImage(jpeg())).toEqual({ mime: 'image/jpeg', width: 8, height: 8 });
    expect(inspectImage(webp())).toEqual({ mime: 'image/webp', width: 1, height: 1 });
  });

  it('camera metadata (an XMP-like comment) and zero padding after the JPEG end are fine', () => {
    const withMeta = jpeg({ comment: '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta> Shot on a phone' });
    expect(inspectImage(withMeta).mime).toBe('image/jpeg');
    expect(inspectImage(concat(jpeg(), new Uint8Array(64))).mime).toBe('image/jpeg');
  });

  it('nearly 5 MB of random pixel data is not mistaken for markup or an archive', () => {
    const noisy = png({ width: 1150, height: 1400, noise: true });
    expect(noisy.length).toBeGreaterThan(4_800_000);
    expect(inspectImage(noisy).mime).toBe('image/png');
  });

  it('a photo of exactly 5 MB is accepted; one byte more is 413', () => {
    expect(inspectImage(pngOfSize(MAX_PHOTO_BYTES)).mime).toBe('image/png');
    expect(refusal(pngOfSize(MAX_PHOTO_BYTES + 1))).toMatchObject({ code: 'image_too_large', status: 413 });
  });
});

describe('photos: what is not an image at all (415)', () => {
  it.each([
    ['an HTML page', text('<!doctype html><html><body>hi</body></html>')],
    ['plain text', text('just some words, not a picture')],
    ['a GIF', text('GIF89a\x01\x00\x01\x00\x00\x00\x00;')],
    ['an SVG', text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['a PDF', text('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF')],
    ['a ZIP', zip()],
    ['an empty file', new Uint8Array()],
    ['RIFF that is not WebP (a WAV header)', concat(text('RIFF'), new Uint8Array([4, 0, 0, 0]), text('WAVE'))],
  ])('%s', (_name, bytes) => {
    expect(refusal(bytes)).toMatchObject({ code: 'unsupported_media_type', status: 415 });
  });
});

describe('photos: damaged images and polyglots (422)', () => {
  it.each([
    ['a JPEG with a ZIP appended', concat(jpeg(), zip()), /after the end of the JPEG/],
    ['a JPEG with HTML appended', concat(jpeg(), text('<html><script>alert(1)</script></html>')), /after the end of the JPEG/],
    ['a JPEG with a PHP comment', jpeg({ comment: '<?php system($_GET["c"]); ?>' }), /PHP/],
    ['a PNG with a PHP short-tag web shell in a tEXt chunk', png({ extraChunks: [tEXt('Comment', '<?=$_GET[0]($_POST[1]);?>')] }), /PHP/],
    ['a JPEG with a ZIP inside a comment', jpeg({ comment: Buffer.from(zip()).toString('latin1') }), /ZIP/],
    ['a JPEG with a PDF header inside a comment', jpeg({ comment: '%PDF-1.4 1 0 obj' }), /PDF/],
    ['a JPEG cut short', jpeg().subarray(0, 60), /cut short/],
    ['a JPEG with no end marker', jpeg().subarray(0, jpeg().length - 2), /cut short/],
    ['a PNG with <script> in a tEXt chunk', png({ extraChunks: [tEXt('Comment', '<script>alert(1)</script>')] }), /script/],
    ['a PNG with <script> in a compressed zTXt chunk', png({ extraChunks: [zTXt('Comment', '<script>alert(1)</script>')] }), /script/],
    ['a PNG with <html> in a tEXt chunk', png({ extraChunks: [tEXt('Comment', '<html><body>')] }), /HTML/],
    ['a PNG with data after IEND', concat(png(), text('PK')), /after the end of the PNG/],
    ['a PNG with a ZIP after IEND', concat(png(), zip()), /after the end of the PNG|ZIP/],
    ['a PNG cut short', png().subarray(0, 30), /cut short/],
    ['a PNG with a broken checksum', (() => { const b = png(); b[29] = b[29]! ^ 0xff; return b; })(), /checksum/],
    ['a WebP with bytes after its RIFF size', concat(webp(), text('<html>')), /after the end of the WebP/],
    ['a WebP cut short', webp().subarray(0, 24), /cut short/],
  ])('%s', (_name, bytes, why) => {
    const r = refusal(bytes);
    expect(r).toMatchObject({ code: 'invalid_image', status: 422 });
    expect(r.message).toMatch(why);
  });
});
