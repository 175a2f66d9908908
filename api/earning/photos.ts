import { createHash } from 'node:crypto';
import { crc32, inflateSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { photos } from '../../db/schema/index';
import { AppError } from '../errors';

/**
 * Photos (grid report evidence, volunteering evidence) are kept in the database, in the
 * `photos` table (bytea): one backup, one transaction with the report that uses them, nothing
 * on disk to keep in step with the rows. Each is at most 5 MB and is checked here before it is
 * stored: the file's own bytes decide what it is (never its declared type or name), it must be
 * a whole JPEG, PNG or WebP that ends where its format says it ends, and it must not carry
 * another format or markup (a polyglot) that a browser, a PHP interpreter, a PDF or ZIP reader
 * could be tricked into reading.
 */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

export interface ImageInfo {
  mime: ImageMime;
  width: number;
  height: number;
}

const tooLarge = (size: number) =>
  new AppError('image_too_large', `a photo may be at most 5 MB (${MAX_PHOTO_BYTES} bytes); this one is ${size} bytes`);
const damaged = (what: string) => new AppError('invalid_image', `the ${what}; send the photo as it came from the camera`);
const polyglot = (what: string) => new AppError('invalid_image', `the image carries ${what}; only plain photos are accepted`);

const be16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const be32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const le16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const le24 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const le32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
const startsWith = (b: Uint8Array, sig: readonly number[]) => sig.every((v, i) => b[i] === v);

const JPEG_SOI = [0xff, 0xd8, 0xff] as const;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/**
 * What the photo is, decided by its bytes alone; throws a problem when it is not a photo we
 * take: 413 `image_too_large` over 5 MB, 415 `unsupported_media_type` when it is not a JPEG,
 * PNG or WebP at all, 422 `invalid_image` when it is one but damaged, with data after its end,
 * or carrying markup or another format. Pure: reads nothing but `bytes`.
 */
export function inspectImage(bytes: Uint8Array): ImageInfo {
  if (bytes.length > MAX_PHOTO_BYTES) throw tooLarge(bytes.length);
  if (bytes.length === 0) throw new AppError('unsupported_media_type', 'the photo file is empty');
  let info: ImageInfo;
  if (startsWith(bytes, JPEG_SOI)) info = inspectJpeg(bytes);
  else if (startsWith(bytes, PNG_SIGNATURE)) info = inspectPng(bytes);
  else if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') info = inspectWebp(bytes);
  else throw new AppError('unsupported_media_type', 'the file is not a JPEG, PNG or WebP image (judged by its content, not its name or declared type)');
  refuseForeignContent(bytes);
  return info;
}

// ——— JPEG: SOI, marker segments with lengths, entropy-coded scans, EOI, then nothing ———

/** Markers that stand alone (no length field): TEM, RST0–7, SOI, EOI. */
const standalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd9);
/** Start-of-frame markers (baseline, progressive, lossless, arithmetic …); C4 DHT, C8 JPG, CC DAC are not frames. */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function inspectJpeg(b: Uint8Array): ImageInfo {
  let at = 2;
  let width = 0;
  let height = 0;
  let scans = 0;
  for (;;) {
    if (at >= b.length) throw damaged('JPEG is cut short (no end-of-image marker)');
    if (b[at] !== 0xff) throw damaged(`JPEG is damaged (no marker at byte ${at})`);
    while (at < b.length && b[at] === 0xff) at++; // fill bytes before a marker
    if (at >= b.length) throw damaged('JPEG is cut short (no end-of-image marker)');
    const marker = b[at++]!;
    if (marker === 0xd9) break; // EOI
    if (marker === 0x00 || marker === 0xd8) throw damaged('JPEG is damaged (unexpected marker)');
    if (standalone(marker)) continue;
    if (at + 2 > b.length) throw damaged('JPEG is cut short');
    const length = be16(b, at);
    if (length < 2 || at + length > b.length) throw damaged('JPEG is cut short or a segment length is wrong');
    if (isSof(marker)) {
      if (length < 8) throw damaged('JPEG frame header is damaged');
      height = be16(b, at + 3);
      width = be16(b, at + 5);
    }
    at += length;
    if (marker === 0xda) {
      if (width === 0) throw damaged('JPEG has image data before its frame header');
      scans++;
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart marker.
      for (;;) {
        const next = b.indexOf(0xff, at);
        if (next < 0 || next + 1 >= b.length) throw damaged('JPEG is cut short (no end-of-image marker)');
        const m = b[next + 1]!;
        if (m === 0x00 || (m >= 0xd0 && m <= 0xd7) || m === 0xff) {
          at = m === 0xff ? next + 1 : next + 2;
          continue;
        }
        at = next;
        break;
      }
    }
  }
  if (scans === 0 || width === 0 || height === 0) throw damaged('JPEG has no image in it');
  for (let i = at; i < b.length; i++) {
    if (b[i] !== 0x00 && b[i] !== 0xff) {
      throw polyglot('data after the end of the JPEG (motion photos keep a video there; send a still photo)');
    }
  }
  return { mime: 'image/jpeg', width, height };
}

// ——— PNG: signature, chunks (length, type, data, CRC) from IHDR to IEND, then nothing ———

function inspectPng(b: Uint8Array): ImageInfo {
  let at = PNG_SIGNATURE.length;
  let width = 0;
  let height = 0;
  let sawData = false;
  let first = true;
  for (;;) {
    if (at + 12 > b.length) throw damaged('PNG is cut short (no IEND chunk)');
    const length = be32(b, at);
    const type = ascii(b, at + 4, 4);
    if (!/^[A-Za-z]{4}$/.test(type)) throw damaged('PNG is damaged (a chunk type is not four letters)');
    if (length > 0x7fffffff || at + 12 + length > b.length) throw damaged(`PNG is cut short or the ${type} chunk length is wrong`);
    const data = b.subarray(at + 8, at + 8 + length);
    if (crc32(b.subarray(at + 4, at + 8 + length)) !== be32(b, at + 8 + length)) throw damaged(`PNG is damaged (the ${type} chunk fails its checksum)`);
    if (first) {
      if (type !== 'IHDR' || length !== 13) throw damaged('PNG does not start with its header chunk');
      width = be32(data, 0);
      height = be32(data, 4);
      first = false;
    } else if (type === 'IHDR') throw damaged('PNG has two header chunks');
    if (type === 'IDAT') sawData = true;
    if (type === 'zTXt' || type === 'iTXt') scanCompressedText(type, data);
    at += 12 + length;
    if (type === 'IEND') break;
  }
  if (!sawData || width === 0 || height === 0) throw damaged('PNG has no image in it');
  if (at !== b.length) throw polyglot('data after the end of the PNG');
  return { mime: 'image/png', width, height };
}

/** Compressed text chunks could hide markup from the raw byte scan: inflate (bounded) and scan. */
function scanCompressedText(type: string, data: Uint8Array) {
  const keywordEnd = data.indexOf(0);
  if (keywordEnd < 0) throw damaged(`PNG ${type} chunk is damaged`);
  let compressed: Uint8Array | null = null;
  if (type === 'zTXt') compressed = data.subarray(keywordEnd + 2);
  else if (data[keywordEnd + 1] === 1) {
    // iTXt: keyword\0 flag method language\0 translated\0 text
    const lang = data.indexOf(0, keywordEnd + 3);
    const translated = lang < 0 ? -1 : data.indexOf(0, lang + 1);
    if (translated < 0) throw damaged(`PNG ${type} chunk is damaged`);
    compressed = data.subarray(translated + 1);
  }
  if (!compressed) return;
  let text: Buffer;
  try {
    text = inflateSync(compressed, { maxOutputLength: 4 * MAX_PHOTO_BYTES });
  } catch {
    throw damaged(`PNG ${type} chunk is damaged or too large`);
  }
  refuseForeignContent(text);
}

// ——— WebP: RIFF header whose size is the file's, 'WEBP', chunks to the very end ———

function inspectWebp(b: Uint8Array): ImageInfo {
  const riffSize = le32(b, 4);
  if (riffSize + 8 !== b.length) {
    throw riffSize + 8 > b.length ? damaged('WebP is cut short') : polyglot('data after the end of the WebP');
  }
  let at = 12;
  let width = 0;
  let height = 0;
  let sawImage = false;
  let first = true;
  while (at < b.length) {
    if (at + 8 > b.length) throw damaged('WebP is damaged (a chunk header is cut short)');
    const fourcc = ascii(b, at, 4);
    const size = le32(b, at + 4);
    const end = at + 8 + size + (size & 1);
    if (end > b.length) throw damaged(`WebP is cut short or the ${fourcc} chunk size is wrong`);
    const data = b.subarray(at + 8, at + 8 + size);
    if (fourcc === 'VP8 ') {
      // frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height
      if (size < 10 || data[3] !== 0x9d || data[4] !== 0x01 || data[5] !== 0x2a) throw damaged('WebP (lossy) frame is damaged');
      if (first) {
        width = le16(data, 6) & 0x3fff;
        height = le16(data, 8) & 0x3fff;
      }
      sawImage = true;
    } else if (fourcc === 'VP8L') {
      if (size < 5 || data[0] !== 0x2f) throw damaged('WebP (lossless) image is damaged');
      if (first) {
        const bits = le32(data, 1);
        width = (bits & 0x3fff) + 1;
        height = ((bits >>> 14) & 0x3fff) + 1;
      }
      sawImage = true;
    } else if (fourcc === 'VP8X') {
      if (!first || size < 10) throw damaged('WebP extended header is damaged');
      width = le24(data, 4) + 1;
      height = le24(data, 7) + 1;
    } else if (fourcc === 'ANMF') {
      sawImage = true;
    } else if (first) {
      throw damaged('WebP does not start with an image or extended header chunk');
    }
    first = false;
    at = end;
  }
  if (!sawImage || width === 0 || height === 0) throw damaged('WebP has no image in it');
  return { mime: 'image/webp', width, height };
}

// ——— other formats and markup anywhere in the file ———

/**
 * Markup and document/script signatures a browser or an interpreter would act on, in one pass
 * (a 5 MB photo is scanned once, not once per pattern). Each is long enough that the random
 * bytes of a large photo's compressed data almost never spell it; PHP's short echo tag `<?=` is
 * three bytes (found by chance in most big photos), so it counts only closed by `?>` on its line.
 */
const FOREIGN_TEXT = /<(?:script[\s>/]|html[\s>]|!doctype\s+html|body[\s>]|iframe[\s>/]|svg[\s>/]|object[\s>/]|embed[\s>/]|\?php\s|\?=[^\n]{0,200}?\?>)|javascript:|%PDF-\d/i;

function describeForeign(match: string): string {
  const m = match.toLowerCase();
  if (m.startsWith('<script')) return 'a <script> tag';
  if (m.startsWith('<svg')) return 'SVG markup';
  if (m.startsWith('<?')) return 'PHP code';
  if (m.startsWith('%pdf')) return 'a PDF document';
  if (m.startsWith('javascript')) return 'a javascript: link';
  return 'HTML';
}

/** Compression methods a ZIP local header may name (stored, deflate, deflate64, bzip2, lzma, zstd, xz, ppmd, AES). */
const ZIP_METHODS = new Set([0, 8, 9, 12, 14, 93, 95, 98, 99]);

/**
 * A ZIP local file header: `PK\x03\x04`, then a version-needed below 64 and a known compression
 * method. Checking the fields, not only the 4-byte signature, keeps random bytes inside a large
 * photo's compressed data from being taken for an archive.
 */
function hasZipLocalHeader(b: Uint8Array): boolean {
  for (let at = b.indexOf(0x50); at >= 0 && at + 30 <= b.length; at = b.indexOf(0x50, at + 1)) {
    if (b[at + 1] !== 0x4b || b[at + 2] !== 0x03 || b[at + 3] !== 0x04) continue;
    const version = le16(b, at + 4);
    const method = le16(b, at + 8);
    if (version < 64 && ZIP_METHODS.has(method)) return true;
  }
  return false;
}

function refuseForeignContent(b: Uint8Array) {
  const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
  const found = FOREIGN_TEXT.exec(text);
  if (found) throw polyglot(describeForeign(found[0]));
  if (hasZipLocalHeader(b)) throw polyglot('a ZIP archive');
}

// ——— storing ———

/** The bytes of an uploaded file or of a buffer, without copying a buffer. */
async function bytesOf(file: File | Uint8Array): Promise<Uint8Array> {
  return file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
}

/**
 * Checks the photo (see `inspectImage`; a refusal throws and stores nothing) and stores it for
 * `ownerId`. Returns the photo id. Pass the caller's transaction as `db` so the photo is stored
 * only if the record that uses it is; `at` is the upload time (the app clock).
 */
export async function storePhoto(db: Db, ownerId: string, file: File | Uint8Array, at?: Date): Promise<string> {
  if (!(file instanceof Uint8Array) && file.size > MAX_PHOTO_BYTES) throw tooLarge(file.size);
  const bytes = await bytesOf(file);
  const info = inspectImage(bytes);
  const [row] = await db
    .insert(photos)
    .values({
      ownerId,
      mime: info.mime,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      ...(at ? { createdAt: at } : {}),
    })
    .returning({ id: photos.id });
  return row!.id;
}

export type PhotoRow = typeof photos.$inferSelect;

/** A photo the viewer may see: its owner, or any committee member. Anyone else gets null (a 404). */
export async function photoFor(db: Db, viewer: { id: string; role: string }, id: string): Promise<PhotoRow | null> {
  const [row] = await db.select().from(photos).where(eq(photos.id, id));
  if (!row) return null;
  if (row.ownerId !== viewer.id && viewer.role !== 'committee') return null;
  return row;
}
