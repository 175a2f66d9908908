import { crc32, deflateSync } from 'node:zlib';

// Tiny real photos for the demo's grid reports, built in memory (the seed reads no files): a PNG
// whose pixels depend on a number, so each report's photo is its own, and a baseline JPEG.
// Both pass the upload checks in api/earning/photos.ts like any camera photo.

const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(concat(head.subarray(4), data)), 0);
  return concat(head, data, crc);
}

/** A 24 × 16 RGB PNG: a grey road-like gradient with a coloured blotch placed and tinted by `n`. */
export function demoPng(n: number): Uint8Array {
  const width = 24;
  const height = 16;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  const cx = 4 + (n * 7) % 16;
  const cy = 3 + (n * 5) % 10;
  const tint = [(n * 97) % 256, (n * 57 + 80) % 256, (n * 31 + 40) % 256];
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const grey = 90 + ((x * 3 + y * 5) % 40);
      const blotch = (x - cx) ** 2 + (y - cy) ** 2 <= 9;
      for (let c = 0; c < 3; c++) raw[y * row + 1 + x * 3 + c] = blotch ? tint[c]! : grey;
    }
  }
  return concat(
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', new Uint8Array()),
  );
}

function segment(marker: number, payload: Uint8Array): Uint8Array {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(payload.length + 2, 2);
  return concat(head, payload);
}

/**
 * A baseline JPEG of one 8 × 8 mid-grey block: quantisation table, frame header, one-code Huffman
 * tables (DC difference 0, AC end-of-block) and one 2-bit scan (as test/earning/photos-fixtures.ts).
 */
export function demoJpeg(): Uint8Array {
  const dqt = new Uint8Array(65).fill(1);
  dqt[0] = 0x00; // 8-bit, table 0
  const sof = new Uint8Array([8, 0, 8, 0, 8, 1, 1, 0x11, 0]); // precision, height 8, width 8, one component
  const huffman = (cls: number) => {
    const bits = new Uint8Array(16);
    bits[0] = 1; // one code of length 1 …
    return concat(new Uint8Array([cls << 4]), bits, new Uint8Array([0x00])); // … for symbol 0
  };
  return concat(
    new Uint8Array([0xff, 0xd8]),
    segment(0xe0, new Uint8Array(Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'))),
    segment(0xdb, dqt),
    segment(0xc0, sof),
    segment(0xc4, huffman(0)),
    segment(0xc4, huffman(1)),
    segment(0xda, new Uint8Array([1, 1, 0x00, 0, 63, 0])),
    new Uint8Array([0x3f]), // DC category 0, EOB, padded with 1-bits
    new Uint8Array([0xff, 0xd9]),
  );
}
