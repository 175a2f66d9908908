// Real, tiny images built byte by byte for the photo and grid report suites (not a test file
// itself): a PNG (deflated scanlines, CRCs), a baseline JPEG (one 8×8 grey block, DC-only
// Huffman tables) and a lossless WebP (1×1), plus helpers to make polyglots of them.

import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of b) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const text = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

/** One PNG chunk with its length and CRC. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(concat(head.subarray(4), data)), 0);
  return concat(head, data, crc);
}

/**
 * An RGB PNG of `width` × `height` pixels. `extraChunks` go before the image data (e.g. a tEXt
 * chunk); `noise` fills the pixels with pseudo-random bytes (so a big PNG stays big after deflate).
 */
export function png(options: { width?: number; height?: number; extraChunks?: Uint8Array[]; noise?: boolean } = {}): Uint8Array {
  const width = options.width ?? 2;
  const height = options.height ?? 2;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0; // filter: none
    for (let x = 1; x < row; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      raw[y * row + x] = options.noise ? seed >>> 24 : (x * 40 + y * 70) & 0xff;
    }
  }
  return concat(
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...(options.extraChunks ?? []),
    pngChunk('IDAT', deflateSync(raw, { level: options.noise ? 0 : 6 })),
    pngChunk('IEND', new Uint8Array()),
  );
}

/** A PNG tEXt chunk: keyword, NUL, Latin-1 text. */
export const tEXt = (keyword: string, value: string) => pngChunk('tEXt', text(`${keyword}\0${value}`));
/** A PNG zTXt chunk: keyword, NUL, method 0, deflated text. */
export const zTXt = (keyword: string, value: string) => pngChunk('zTXt', concat(text(`${keyword}\0\0`), deflateSync(Buffer.from(value, 'latin1'))));

function segment(marker: number, payload: Uint8Array): Uint8Array {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(payload.length + 2, 2);
  return concat(head, payload);
}

/**
 * A baseline JPEG of one 8×8 mid-grey block: quantisation table, frame header, one-code Huffman
 * tables (DC difference category 0, AC end-of-block), one scan of 2 bits padded with ones, EOI.
 * `comment` adds a COM segment (metadata a camera or editor might write).
 */
export function jpeg(options: { comment?: string } = {}): Uint8Array {
  const dqt = new Uint8Array(65).fill(1);
  dqt[0] = 0x00; // 8-bit, table 0
  const sof = new Uint8Array([8, 0, 8, 0, 8, 1, 1, 0x11, 0]); // precision, height 8, width 8, 1 component (id 1, 1×1, table 0)
  const huffman = (cls: number) => {
    const bits = new Uint8Array(16);
    bits[0] = 1; // one code of length 1 …
    return concat(new Uint8Array([cls << 4]), bits, new Uint8Array([0x00])); // … for symbol 0
  };
  const sos = new Uint8Array([1, 1, 0x00, 0, 63, 0]); // 1 component, tables 0/0, spectral 0–63
  return concat(
    new Uint8Array([0xff, 0xd8]),
    segment(0xe0, text('JFIF\0\x01\x01\0\0\x01\0\x01\0\0')),
    ...(options.comment ? [segment(0xfe, text(options.comment))] : []),
    segment(0xdb, dqt),
    segment(0xc0, sof),
    segment(0xc4, huffman(0)),
    segment(0xc4, huffman(1)),
    segment(0xda, sos),
    new Uint8Array([0x3f]), // DC diff category 0 ("0"), EOB ("0"), padded with 1-bits
    new Uint8Array([0xff, 0xd9]),
  );
}

/** A 1×1 lossless WebP (VP8L), RIFF size matching the file. */
export function webp(): Uint8Array {
  const vp8l = new Uint8Array([0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07]);
  const chunk = concat(text('VP8L'), le32(vp8l.length), vp8l, new Uint8Array([0])); // padded to even
  return concat(text('RIFF'), le32(4 + chunk.length), text('WEBP'), chunk);
}

function le32(n: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

/** A minimal ZIP archive with one stored file (local header, central directory, end record). */
export function zip(name = 'payload.txt', content = 'hello'): Uint8Array {
  const data = Buffer.from(content);
  const fname = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0, 8); // stored
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fname.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fname.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + fname.length, 12);
  end.writeUInt32LE(30 + fname.length + data.length, 16);
  return concat(local, fname, data, central, fname, end);
}

export { concat, text };

/** A multipart body for POST /api/grid-reports (or any upload): fields, and the photo as a File. */
export function reportForm(fields: Record<string, string>, photo?: { bytes: Uint8Array; name?: string; type?: string }): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (photo) form.set('photo', new File([photo.bytes], photo.name ?? 'photo.png', { type: photo.type ?? 'image/png' }));
  return form;
}
