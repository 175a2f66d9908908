import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';

/**
 * Voucher codes a garage clerk can type from a phone screen: no 0/O, 1/I/L or U, nine random
 * characters (about 44 bits) and a Luhn mod-30 check character that catches every single
 * mistyped character and every swap of two neighbours.
 */
export const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = ALPHABET.length;
const BODY_LENGTH = 9;

function luhnSum(chars: string, startFactor: 1 | 2): number {
  let factor = startFactor;
  let sum = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const product = factor * ALPHABET.indexOf(chars[i]!);
    sum += Math.floor(product / N) + (product % N);
    factor = factor === 2 ? 1 : 2;
  }
  return sum;
}

export function checkCharacter(body: string): string {
  return ALPHABET[(N - (luhnSum(body, 2) % N)) % N]!;
}

export function newVoucherCode(): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[randomInt(N)];
  return body + checkCharacter(body);
}

/** `ABCDE-FGHJK`: how a code is shown and printed. */
export function formatCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export type CodeCheck =
  | { ok: true; code: string }
  | { ok: false; reason: 'length' | 'characters' | 'check'; detail: string };

/** Accepts what a person types: any case, spaces and dashes. */
export function parseVoucherCode(input: string): CodeCheck {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== BODY_LENGTH + 1) {
    return { ok: false, reason: 'length', detail: `a voucher code has ${BODY_LENGTH + 1} characters; this has ${code.length}` };
  }
  const wrong = [...new Set([...code].filter((c) => !ALPHABET.includes(c)))];
  if (wrong.length > 0) {
    return { ok: false, reason: 'characters', detail: `voucher codes never contain ${wrong.join(', ')}; check the code on the driver's screen` };
  }
  if (luhnSum(code, 1) % N !== 0) {
    return { ok: false, reason: 'check', detail: 'this code has a typo: one character is wrong or two are swapped' };
  }
  return { ok: true, code };
}

/** The QR image shown on the driver's voucher; the desk's scanner reads the code from it. */
export async function voucherQr(code: string): Promise<string> {
  const svg = await QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
