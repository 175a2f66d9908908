// Voucher codes, pure: what the desk can type and what typos the check character catches.

import { describe, expect, it } from 'vitest';
import { ALPHABET, checkCharacter, formatCode, newVoucherCode, parseVoucherCode, voucherQr } from '../../api/market/voucher';

const SAMPLE = Array.from({ length: 300 }, () => newVoucherCode());

/** Codes built to contain the alphabet's first and last characters side by side (the pair Luhn mod 30 misses). */
function edgeCodes(): string[] {
  const out: string[] = [];
  for (const pair of ['2Z', 'Z2', '23', 'YZ', '9A']) {
    for (let at = 0; at + 2 <= 9; at++) {
      const body = ('ABCDEFGHJ'.slice(0, at) + pair + 'KMNPQRSTV').slice(0, 9);
      const check = checkCharacter(body);
      if (check) out.push(body + check);
    }
  }
  return out;
}

describe('voucher codes', () => {
  it('are ten characters from the unambiguous alphabet, and every generated code validates', () => {
    expect(ALPHABET).toHaveLength(30);
    for (const code of SAMPLE) {
      expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{10}$/);
      expect(parseVoucherCode(code)).toEqual({ ok: true, code });
    }
  });

  it('never contain 0, O, 1, I, L or U', () => {
    for (const banned of ['0', 'O', '1', 'I', 'L', 'U']) expect(ALPHABET).not.toContain(banned);
    const seen = new Set(SAMPLE.join(''));
    for (const banned of ['0', 'O', '1', 'I', 'L', 'U']) expect(seen.has(banned)).toBe(false);
  });

  it('are drawn at random: 300 codes are 300 different codes using the whole alphabet', () => {
    expect(new Set(SAMPLE).size).toBe(SAMPLE.length);
    expect(new Set(SAMPLE.join('')).size).toBe(30);
  });

  it('catch every single-character substitution in every position', () => {
    let tried = 0;
    for (const code of [...SAMPLE.slice(0, 100), ...edgeCodes()]) {
      for (let i = 0; i < code.length; i++) {
        for (const c of ALPHABET) {
          if (c === code[i]) continue;
          const typo = code.slice(0, i) + c + code.slice(i + 1);
          tried++;
          expect(parseVoucherCode(typo), `${code} → ${typo}`).toMatchObject({ ok: false, reason: 'check' });
        }
      }
    }
    expect(tried).toBeGreaterThan(100 * 10 * 29 - 1);
  });

  it('catch every swap of two neighbouring different characters, including 2↔Z', () => {
    const codes = [...SAMPLE, ...edgeCodes()];
    expect(codes.some((c) => c.includes('2Z') || c.includes('Z2'))).toBe(true);
    let tried = 0;
    for (const code of codes) {
      for (let i = 0; i + 1 < code.length; i++) {
        if (code[i] === code[i + 1]) continue;
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        tried++;
        expect(parseVoucherCode(swapped), `${code} → ${swapped}`).toMatchObject({ ok: false, reason: 'check' });
      }
    }
    expect(tried).toBeGreaterThan(2000);
  });

  it('catch every swap, in every position, of every pair of alphabet characters', () => {
    for (const a of ALPHABET) {
      for (const b of ALPHABET) {
        if (a === b) continue;
        for (let at = 0; at < 9; at++) {
          // a body with `a` then `b` at `at` (the check character is the right neighbour at 8)
          const body = ('QRSTVWXYZ'.slice(0, at) + a + b + '34567').slice(0, 9);
          const check = checkCharacter(body);
          if (!check) continue;
          const code = body + check;
          const i = Math.min(at, 8);
          if (code[i] === code[i + 1]) continue;
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          expect(parseVoucherCode(swapped).ok, `${code} → ${swapped}`).toBe(false);
        }
      }
    }
  });

  it('accept lower case, spaces and dashes as the same code', () => {
    const code = SAMPLE[0]!;
    const variants = [code.toLowerCase(), formatCode(code), formatCode(code).toLowerCase(), ` ${code.slice(0, 3)} ${code.slice(3, 7)} ${code.slice(7)} `, code.split('').join('-')];
    for (const typed of variants) expect(parseVoucherCode(typed), typed).toEqual({ ok: true, code });
  });

  it('are shown as two groups of five', () => {
    expect(formatCode('ABCDEFGHJK')).toBe('ABCDE-FGHJK');
  });

  it('refuse the wrong length and the banned look-alikes, saying which', () => {
    expect(parseVoucherCode('ABCDE-FGHJ')).toMatchObject({ ok: false, reason: 'length', detail: 'a voucher code has 10 characters; this has 9' });
    expect(parseVoucherCode('')).toMatchObject({ ok: false, reason: 'length' });
    const withO = 'O' + SAMPLE[1]!.slice(1);
    expect(parseVoucherCode(withO)).toMatchObject({ ok: false, reason: 'characters', detail: expect.stringContaining('never contain O') });
    expect(parseVoucherCode('01IL' + SAMPLE[1]!.slice(4))).toMatchObject({ ok: false, reason: 'characters', detail: expect.stringContaining('0, 1, I, L') });
  });

  it('come with a QR image as an SVG data URL', async () => {
    const qr = await voucherQr(SAMPLE[2]!);
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(qr.split(',')[1]!, 'base64').toString('utf8')).toContain('<svg');
  });
});
