// The voucher QR is drawn with the mask our own scorer picks (api/market/qr-mask.ts). It must be
// the mask the qrcode library would pick by itself, so that the image is exactly the library's.

import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { remask } from '../../api/market/qr-mask';
import { newVoucherCode, voucherQr } from '../../api/market/voucher';

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

  it('draws the same image as the library left to itself', async () => {
    for (let i = 0; i < 50; i++) {
      const code = newVoucherCode();
      const library = await QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
      expect(await voucherQr(code)).toBe(`data:image/svg+xml;base64,${Buffer.from(library).toString('base64')}`);
    }
  });
});
