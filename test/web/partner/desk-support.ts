import { ALPHABET, checkCharacter, formatCode } from '../../../api/market/voucher-code';

export const staff = {
  id: '00000000-0000-4000-8000-0000000000a1',
  role: 'partner_staff',
  name: 'Chen Jing',
  phone: '13700000001',
  plateNumber: null,
  partnerId: '00000000-0000-4000-8000-0000000000b1',
};

/** A well-formed voucher code (body + its check character), shown with the dash. */
export function validCode(body = 'K7MQ2XW9P'): string {
  for (let i = 0; ; i++) {
    const candidate = i === 0 ? body : body.slice(0, 8) + ALPHABET[i % ALPHABET.length];
    const check = checkCharacter(candidate);
    if (check) return formatCode(candidate + check);
  }
}

/** The same code with its last (check) character changed: a typo the check must catch. */
export function withTypo(code: string): string {
  const last = code.at(-1)!;
  const other = ALPHABET[(ALPHABET.indexOf(last) + 1) % ALPHABET.length]!;
  return code.slice(0, -1) + other;
}

export function honour(code: string, extra: Record<string, unknown> = {}) {
  return {
    id: '00000000-0000-4000-8000-0000000000c1',
    status: 'held',
    code,
    offerTitle: '刹车保养 Brake service',
    faceValue: '¥200 off brake service',
    driverName: '王建国 Wang Jianguo',
    plateNumber: '粤B·D1234',
    captured: null,
    price: '100.00',
    expiresAt: '2026-07-01T08:00:00.000Z',
    ...extra,
  };
}

export const problemType = (code: string) => `https://milepost.dev/problems/${code}`;
