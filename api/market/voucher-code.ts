/**
 * Voucher codes a garage clerk can type from a phone screen: no 0/O, 1/I/L or U, nine random
 * characters (about 44 bits) and one check character. Pure, with no Node imports: the web desk
 * checks a typed code with this same module before it asks the API.
 *
 * The check is a weighted sum modulo the prime 31: the character i places from the right (the
 * check character is 1) counts i times its value, and a valid code sums to 0. Because 31 is
 * prime and every weight and every difference of two values lies in 1..30, one wrong character
 * always changes the sum, and so does a swap of two neighbours (their weights differ by 1). Luhn
 * mod 30 cannot promise the second: it misses swapping the first and last characters of the
 * alphabet ("2Z" ↔ "Z2"). The price of a prime modulus is one residue (30) that no character
 * stands for; bodies that would need it are drawn again.
 */
export const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = ALPHABET.length;
const MODULUS = 31;
export const BODY_LENGTH = 9;
export const CODE_LENGTH = BODY_LENGTH + 1;

/** Σ weight × value, weights counted from the right starting at `firstWeight`. */
function weightedSum(chars: string, firstWeight: number): number {
  let sum = 0;
  for (let i = chars.length - 1, weight = firstWeight; i >= 0; i--, weight++) sum += weight * ALPHABET.indexOf(chars[i]!);
  return sum % MODULUS;
}

/** The check character for `body`, or null when the body needs the one residue without a character. */
export function checkCharacter(body: string): string | null {
  const value = (MODULUS - weightedSum(body, 2)) % MODULUS;
  return value < N ? ALPHABET[value]! : null;
}

/** `ABCDE-FGHJK`: how a code is shown and printed. */
export function formatCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** What a person typed, as a bare code: upper case, without spaces and dashes. */
export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export type CodeCheck =
  | { ok: true; code: string }
  | { ok: false; reason: 'length' | 'characters' | 'check'; detail: string; wrong?: string[] };

/** Accepts what a person types: any case, spaces and dashes. */
export function parseVoucherCode(input: string): CodeCheck {
  const code = normaliseCode(input);
  if (code.length !== CODE_LENGTH) {
    return { ok: false, reason: 'length', detail: `a voucher code has ${CODE_LENGTH} characters; this has ${code.length}` };
  }
  const wrong = [...new Set([...code].filter((c) => !ALPHABET.includes(c)))];
  if (wrong.length > 0) {
    return { ok: false, reason: 'characters', detail: `voucher codes never contain ${wrong.join(', ')}; check the code on the driver's screen`, wrong };
  }
  if (weightedSum(code, 1) !== 0) {
    return { ok: false, reason: 'check', detail: 'this code has a typo: one character is wrong or two are swapped' };
  }
  return { ok: true, code };
}
