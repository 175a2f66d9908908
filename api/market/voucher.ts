import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import QRCode, { type QRCodeMaskPattern } from 'qrcode';
import { remask } from './qr-mask';
import { ALPHABET, BODY_LENGTH, checkCharacter } from './voucher-code';

export { ALPHABET, checkCharacter, formatCode, normaliseCode, parseVoucherCode, type CodeCheck } from './voucher-code';

/** A fresh voucher code: nine random characters and their check character (see voucher-code.ts). */
export function newVoucherCode(): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[randomInt(ALPHABET.length)];
    const check = checkCharacter(body);
    if (check) return body + check;
  }
}

/**
 * The code's data as the library would split it, without its search for the shortest split (a
 * shortest-path search over every way to cut the text into modes, about 60% of building a
 * symbol). Every character of a code is in QR's alphanumeric set, and one alphanumeric segment is
 * the shortest encoding unless seven or more digits stand together (a numeric segment then costs
 * no more bits, and the library takes it); such codes keep the library's own search.
 */
function segmentsOf(code: string): string | QRCode.QRCodeSegment[] {
  return /[0-9]{7}/.test(code) ? code : [{ data: code, mode: 'alphanumeric' }];
}

/** Error correction level M's code in the format bits. */
const LEVEL_M = 0;

/** The library's SVG writer, which its `toString` uses; called directly on a re-masked symbol. */
const svgTag = createRequire(import.meta.url)('qrcode/lib/renderer/svg-tag.js') as {
  render(symbol: QRCode.QRCode, options: { margin: number }): string;
};

/**
 * The QR image shown on the driver's voucher; the desk's scanner reads the code from it. The same
 * image as `QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })`: built
 * from the code's segments with mask 0, then given the mask the library would choose
 * (qr-mask.ts). In one micro-benchmark run (2026-11-23, a slow hour of this machine): 59–62 µs
 * of CPU per image, against 144–169 for the previous way and 181–202 for the library alone
 * (bench:market prints voucherQr()'s cost on each run).
 */
export async function voucherQr(code: string): Promise<string> {
  const symbol = QRCode.create(segmentsOf(code), { errorCorrectionLevel: 'M', maskPattern: 0 });
  symbol.maskPattern = remask(symbol.modules, 0, LEVEL_M) as QRCodeMaskPattern;
  const svg = svgTag.render(symbol, { margin: 1 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
