// The voucher QR is drawn with the mask our own scorer picks (api/market/qr-mask.ts). It must be
// the mask the qrcode library would pick by itself, so that the image is exactly the library's.

import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { lineScores, moduleScores, remask } from '../../api/market/qr-mask';
import { newVoucherCode, voucherQr } from '../../api/market/voucher';
import { seededRandom } from '../ledger/race-support';

/** Codes whose digits stand seven or more together: the library splits those into two modes. */
const DIGIT_RUN_CODES = ['2345678ABC', 'ABC2345678', '23456789AB', 'A234567892', '2345678923', '7683842955', 'K6P3468227', '6239446QPC'];

describe('voucher QR mask', () => {
  it('picks the mask the library picks, for 3,000 voucher codes, whichever mask the probe was drawn with', () => {
    const picked = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      const code = newVoucherCode();
      const library = QRCode.create(code, { errorCorrectionLevel: 'M' }).maskPattern!;
      const drawnWith = (i % 8) as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
      const probe = QRCode.create(code, { errorCorrectionLevel: 'M', maskPattern: drawnWith });
      expect(remask(probe.modules, drawnWith, 0), code).toBe(library);
      // and the modules become the library's own, format bits included
      expect(Buffer.from(probe.modules.data).equals(Buffer.from(QRCode.create(code, { errorCorrectionLevel: 'M' }).modules.data)), code).toBe(true);
      picked.add(library);
    }
    // Codes differ enough that the choice is not always the same mask.
    expect(picked.size).toBeGreaterThan(4);
  });

  it('scores every mask the same a line at a time as module by module, at every width the line scorer takes', () => {
    const random = seededRandom(11);
    // Versions 1, 2 and 3 (21, 25 and 29 modules): their function patterns, with random data around them.
    for (const text of ['A', 'A'.repeat(30), 'A'.repeat(50)]) {
      const { size, reservedBit } = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
      for (let trial = 0; trial < 300; trial++) {
        const unmasked = new Uint8Array(size * size);
        // Mostly even, sometimes lopsided: the dark-share rule (N4) and long runs (N1) both get exercised.
        const dark = trial % 3 === 0 ? random() : 0.5;
        for (let i = 0; i < unmasked.length; i++) unmasked[i] = random() < dark ? 1 : 0;
        for (const levelBits of [0, 1, 2, 3]) {
          expect(lineScores(unmasked, size, levelBits, reservedBit), `size ${size} trial ${trial}`).toEqual(moduleScores(unmasked, size, levelBits, reservedBit));
        }
      }
    }
  });

  it('picks the library\'s mask on symbols too wide for the line scorer (version 4 and up)', () => {
    const random = seededRandom(5);
    for (let i = 0; i < 40; i++) {
      const text = Array.from({ length: 70 + (i % 20) }, () => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[Math.floor(random() * 36)]).join('');
      const library = QRCode.create(text, { errorCorrectionLevel: 'M' });
      expect(library.modules.size).toBeGreaterThan(31);
      const probe = QRCode.create(text, { errorCorrectionLevel: 'M', maskPattern: 0 });
      expect(remask(probe.modules, 0, 0), text).toBe(library.maskPattern);
      expect(Buffer.from(probe.modules.data).equals(Buffer.from(library.modules.data)), text).toBe(true);
    }
  });

  it('draws the same image as the library left to itself, including codes the library splits into two modes', async () => {
    for (const code of DIGIT_RUN_CODES) {
      const modes = QRCode.create(code, { errorCorrectionLevel: 'M' }).segments.map((s) => s.mode.id);
      expect(modes, code).not.toEqual(['Alphanumeric']);
    }
    const codes = [...DIGIT_RUN_CODES, ...Array.from({ length: 300 }, () => newVoucherCode())];
    for (const code of codes) {
      const library = await QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
      expect(await voucherQr(code)).toBe(`data:image/svg+xml;base64,${Buffer.from(library).toString('base64')}`);
    }
  });
});
