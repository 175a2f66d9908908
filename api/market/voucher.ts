import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';
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

/** The QR image shown on the driver's voucher; the desk's scanner reads the code from it. */
export async function voucherQr(code: string): Promise<string> {
  const svg = await QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
