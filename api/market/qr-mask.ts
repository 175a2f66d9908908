// Choosing a voucher QR's mask, fast. The `qrcode` library tries all eight masks and keeps the
// one with the lowest penalty (long runs, 2×2 blocks, finder-like patterns, dark/light balance:
// what makes a code hard to scan). That choice was three quarters of its time per image (78 of
// 105 µs), more than any other step of a redemption in the app. This scores the same eight
// candidates with the same penalty rules and the same tie-break, with the
// masks' maps made once, so the image is the one the library would draw by itself
// (test/market/qr-mask.test.ts compares the two on thousands of codes).
//
// Symbols up to 31 modules wide (versions 1-3; a voucher code is version 1) are scored with each
// row and column as one integer, a bit per module, so a rule looks at a whole line per operation
// (`lineScore`, `blockScore`); larger ones, module by module (`penalty`). The two give the same
// scores (the test compares them too).

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
  const scores = size <= MAX_LINE_BITS ? lineScores(unmasked, size, levelBits, reservedBit) : moduleScores(unmasked, size, levelBits, reservedBit);
  let best = 0;
  for (let p = 1; p < MASKS.length; p++) if (scores[p]! < scores[best]!) best = p;
  data.set(unmasked);
  xorInto(data, masks[best]!);
  placeFormat(data, size, formatBits(levelBits, best));
  return best;
}

/** Each mask's penalty, module by module: the mask applied to a copy, format bits placed, scored. */
export function moduleScores(unmasked: Uint8Array, size: number, levelBits: number, reservedBit: Uint8Array): number[] {
  const masks = maskMaps(size, reservedBit);
  const work = new Uint8Array(unmasked.length);
  return masks.map((mask, p) => {
    work.set(unmasked);
    xorInto(work, mask);
    placeFormat(work, size, formatBits(levelBits, p));
    return penalty(work, size);
  });
}

/** Widest symbol whose lines fit one 32-bit integer, a bit per module. */
const MAX_LINE_BITS = 31;

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * N1 and N3 of one line (bit i = module i, 1 = dark): each run of five or more modules of one
 * colour scores its length − 2, and each 1:1:3:1:1 finder-like window with four light modules on
 * one side scores 40.
 */
function lineScore(line: number, size: number, full: number): number {
  return runScore(line) + runScore(~line & full) + finderScore(line, size);
}

/** Runs of five or more set bits: each scores its length − 2. */
function runScore(same: number): number {
  // bit i set: bits i … i+4 all set; a run of length L ≥ 5 leaves L − 4 such bits in a row
  const five = same & (same >>> 1) & (same >>> 2) & (same >>> 3) & (same >>> 4);
  return five === 0 ? 0 : popcount(five) + 2 * popcount(five & ~(five >>> 1));
}

/** 1:1:3:1:1 windows with four light modules on one side (the two are mirror images, so bit order does not matter). */
function finderScore(line: number, size: number): number {
  // Both windows hold dark-light-dark-dark-dark-light-dark; most lines have none anywhere.
  const light = ~line;
  if ((line & (light >>> 1) & (line >>> 2) & (line >>> 3) & (line >>> 4) & (light >>> 5) & (line >>> 6)) === 0) return 0;
  let points = 0;
  for (let shift = size - 11; shift >= 0; shift--) {
    const window = (line >>> shift) & 0x7ff;
    if (window === 0x5d0 || window === 0x05d) points += 40;
  }
  return points;
}

/** N2 between two neighbouring lines: each 2×2 block of one colour scores 3 (`pairs`: the bits a block's left column may be at, 0 … size − 2). */
function blockScore(a: number, b: number, pairs: number): number {
  const dark = a & b;
  const light = ~(a | b);
  return 3 * popcount(((dark & (dark >>> 1)) | (light & (light >>> 1))) & pairs);
}

interface LineMaps {
  /** Per mask, per row (column): the modules the mask flips. */
  maskRows: Int32Array[];
  maskCols: Int32Array[];
  /** Per row (column): the format modules (and the dark module), which each mask sets anew. */
  formatRows: Int32Array;
  formatCols: Int32Array;
  /** Per mask, per row (column): the format modules' values for that mask. */
  formatValueRows: Int32Array[];
  formatValueCols: Int32Array[];
}

/** The masks and format positions as lines, per size and error correction level. */
const lineMapsBy = new Map<string, LineMaps>();
function lineMaps(size: number, levelBits: number, reservedBit: Uint8Array): LineMaps {
  const key = `${size}:${levelBits}`;
  let maps = lineMapsBy.get(key);
  if (maps) return maps;
  const masks = maskMaps(size, reservedBit);
  const asRows = (m: Uint8Array) => linesOf(m, size, false);
  const asCols = (m: Uint8Array) => linesOf(m, size, true);
  const where = new Uint8Array(size * size);
  placeFormat(where, size, 0x7fff);
  const values = MASKS.map((_, p) => {
    const m = new Uint8Array(size * size);
    placeFormat(m, size, formatBits(levelBits, p));
    return m;
  });
  maps = {
    maskRows: masks.map(asRows),
    maskCols: masks.map(asCols),
    formatRows: asRows(where),
    formatCols: asCols(where),
    formatValueRows: values.map(asRows),
    formatValueCols: values.map(asCols),
  };
  lineMapsBy.set(key, maps);
  return maps;
}

/** A row-major matrix as one integer per row (or per column), bit i = module i along the line. */
function linesOf(m: Uint8Array, size: number, columns: boolean): Int32Array {
  const lines = new Int32Array(size);
  for (let a = 0; a < size; a++) {
    let line = 0;
    for (let b = 0; b < size; b++) line |= m[columns ? b * size + a : a * size + b]! << b;
    lines[a] = line;
  }
  return lines;
}

/** Each mask's penalty, a line at a time: the same scores as `moduleScores`, for sizes up to 31. */
export function lineScores(unmasked: Uint8Array, size: number, levelBits: number, reservedBit: Uint8Array): number[] {
  const maps = lineMaps(size, levelBits, reservedBit);
  const rows = linesOf(unmasked, size, false);
  const cols = linesOf(unmasked, size, true);
  const row = new Int32Array(size);
  const full = 2 ** size - 1;
  const pairs = full >>> 1;
  return MASKS.map((_, p) => {
    const maskRows = maps.maskRows[p]!;
    const maskCols = maps.maskCols[p]!;
    const valueRows = maps.formatValueRows[p]!;
    const valueCols = maps.formatValueCols[p]!;
    let points = 0;
    let dark = 0;
    for (let a = 0; a < size; a++) {
      row[a] = ((rows[a]! ^ maskRows[a]!) & ~maps.formatRows[a]!) | valueRows[a]!;
      const col = ((cols[a]! ^ maskCols[a]!) & ~maps.formatCols[a]!) | valueCols[a]!;
      dark += popcount(row[a]!);
      points += lineScore(row[a]!, size, full) + lineScore(col, size, full);
      if (a > 0) points += blockScore(row[a - 1]!, row[a]!, pairs);
    }
    return points + Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10) * 10;
  });
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
