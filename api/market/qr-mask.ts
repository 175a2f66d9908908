// Choosing a voucher QR's mask, fast. The `qrcode` library tries all eight masks and keeps the
// one with the lowest penalty (long runs, 2×2 blocks, finder-like patterns, dark/light balance:
// what makes a code hard to scan). That choice was three quarters of its time per image (78 of
// 105 µs), more than any other step of a redemption in the app. This scores the same eight
// candidates with the same penalty rules and the same tie-break, over flat byte arrays with the
// masks' maps made once, so the image is the one the library would draw by itself
// (test/market/qr-mask.test.ts compares the two on thousands of codes).

type Mask = (row: number, col: number) => boolean;

/** The eight mask patterns of ISO/IEC 18004, as the library numbers them. */
const MASKS: Mask[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
];

const G15 = 0b10100110111;
const G15_MASK = 0b101010000010010;
const bitLength = (n: number) => 32 - Math.clz32(n);

/** The 15 format bits of an error correction level (its 2-bit code) and mask: BCH(15,5), masked. */
function formatBits(levelBits: number, mask: number): number {
  const data = (levelBits << 3) | mask;
  let d = data << 10;
  while (bitLength(d) >= bitLength(G15)) d ^= G15 << (bitLength(d) - bitLength(G15));
  return ((data << 10) | d) ^ G15_MASK;
}

/** Writes the format bits where the library writes them (both copies and the dark module). */
function placeFormat(m: Uint8Array, size: number, bits: number) {
  for (let i = 0; i < 15; i++) {
    const bit = (bits >> i) & 1;
    const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    m[row * size + 8] = bit;
    const col = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1;
    m[8 * size + col] = bit;
  }
  m[(size - 8) * size + 8] = 1;
}

/** The library's penalty (its getPenaltyN1…N4, summed), over a row-major matrix. */
function penalty(m: Uint8Array, size: number): number {
  let points = 0;
  let dark = 0;
  // N1: runs of five or more in a row or a column; N3: 1:1:3:1:1 finder-like patterns with four
  // light modules on one side. Row `a` and column `a` are read in the same pass.
  for (let a = 0; a < size; a++) {
    let rowRun = 0;
    let colRun = 0;
    let rowLast = -1;
    let colLast = -1;
    let rowBits = 0;
    let colBits = 0;
    for (let b = 0; b < size; b++) {
      const inRow = m[a * size + b]!;
      const inCol = m[b * size + a]!;
      dark += inRow;
      if (inRow === rowLast) rowRun++;
      else {
        if (rowRun >= 5) points += 3 + (rowRun - 5);
        rowLast = inRow;
        rowRun = 1;
      }
      if (inCol === colLast) colRun++;
      else {
        if (colRun >= 5) points += 3 + (colRun - 5);
        colLast = inCol;
        colRun = 1;
      }
      rowBits = ((rowBits << 1) & 0x7ff) | inRow;
      colBits = ((colBits << 1) & 0x7ff) | inCol;
      if (b >= 10) {
        if (rowBits === 0x5d0 || rowBits === 0x05d) points += 40;
        if (colBits === 0x5d0 || colBits === 0x05d) points += 40;
      }
    }
    if (rowRun >= 5) points += 3 + (rowRun - 5);
    if (colRun >= 5) points += 3 + (colRun - 5);
  }
  // N2: 2×2 blocks of one colour.
  for (let r = 0; r < size - 1; r++) {
    const top = r * size;
    const bottom = top + size;
    let left = m[top]! + m[bottom]!;
    for (let c = 1; c < size; c++) {
      const right = m[top + c]! + m[bottom + c]!;
      const sum = left + right;
      if (sum === 4 || sum === 0) points += 3;
      left = right;
    }
  }
  // N4: how far the share of dark modules is from half.
  points += Math.abs(Math.ceil((dark * 100) / m.length / 5) - 10) * 10;
  return points;
}

/**
 * Re-masks a symbol the library built with mask `drawnWith` (its modules, with the map of its
 * function patterns) with the mask the library would have chosen itself, in place, format bits
 * included, and says which that is. `levelBits` is the error correction level's 2-bit code (M = 0).
 */
export function remask(symbol: { size: number; data: Uint8Array; reservedBit: Uint8Array }, drawnWith: number, levelBits: number): number {
  const { size, data, reservedBit } = symbol;
  const masks = maskMaps(size, reservedBit);
  const unmasked = data.slice();
  xorInto(unmasked, masks[drawnWith]!);
  const work = new Uint8Array(unmasked.length);
  let best = 0;
  let lowest = Infinity;
  for (let p = 0; p < MASKS.length; p++) {
    work.set(unmasked);
    xorInto(work, masks[p]!);
    placeFormat(work, size, formatBits(levelBits, p));
    const score = penalty(work, size);
    if (score < lowest) {
      lowest = score;
      best = p;
    }
  }
  data.set(unmasked);
  xorInto(data, masks[best]!);
  placeFormat(data, size, formatBits(levelBits, best));
  return best;
}

function xorInto(target: Uint8Array, bits: Uint8Array) {
  for (let i = 0; i < target.length; i++) target[i] = target[i]! ^ bits[i]!;
}

/**
 * Each mask as a map of the modules it flips: its pattern, outside the function patterns. Those
 * depend only on the symbol's size (its version), so the maps are made once per size.
 */
const mapsBySize = new Map<number, Uint8Array[]>();
function maskMaps(size: number, reservedBit: Uint8Array): Uint8Array[] {
  let maps = mapsBySize.get(size);
  if (!maps) {
    maps = MASKS.map((mask) => {
      const map = new Uint8Array(size * size);
      for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) map[r * size + c] = !reservedBit[r * size + c] && mask(r, c) ? 1 : 0;
      return map;
    });
    mapsBySize.set(size, maps);
  }
  return maps;
}
