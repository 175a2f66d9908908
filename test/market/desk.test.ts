// The partner desk: look a voucher up, honour it (in full or for less), refuse it, and read the
// statement as JSON or as a spreadsheet. Every code that cannot be honoured says why in its own
// problem type, and changes nothing.

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { balance } from '../../api/ledger/reads';
import { expireRedemptions } from '../../api/market/redemptions';
import { newVoucherCode } from '../../api/market/voucher';
import { describeEachBackend } from '../support/backends';
import { expectNoLeak, expectProblem } from '../support/problems';
import { bare, DAY, expectLedgerSound, ledgerSoundAfterEach, marketScene, marketState, parseCsv, redemptionStatus, stockLeft } from './market-support';

describeEachBackend('market: the partner desk', (current) => {
  ledgerSoundAfterEach(current);

  async function desk(points = '500.00', driverOptions: { name?: string; plateNumber?: string } = { name: '王建国 Wang Jianguo', plateNumber: '粤B·D1234' }) {
    const m = await marketScene(current());
    const garage = await m.addPartner({ name: '顺达汽修 Shunda Garage' });
    const driver = await m.addDriver(points, driverOptions);
    const offer = await m.activeOffer(garage.staff.token, { title: '刹车保养 Brake service', faceValue: '¥200 off brake service', price: '100.00', stock: 10, perDriverLimit: 10 });
    const lookup = (token: string, code: string) => m.call('GET', `/api/partner/redemptions/lookup?code=${encodeURIComponent(code)}`, { token });
    const reject = (token: string, id: string, reason = 'the part is not in stock') => m.call('POST', `/api/partner/redemptions/${id}/reject`, { token, body: { reason } });
    const state = () => marketState(m.db, driver.wallet, offer.id, driver.id);
    return { m, garage, driver, offer, lookup, reject, state };
  }

  it('lookup shows the offer, face value, driver and plate, and changes nothing', async () => {
    const { m, garage, driver, offer, lookup, state } = await desk();
    const v = await m.voucher(driver.token, offer.id);
    const before = await state();
    for (const typed of [v.code, bare(v.code), v.code.toLowerCase(), ` ${bare(v.code).slice(0, 4)} ${bare(v.code).slice(4)} `]) {
      const res = await lookup(garage.staff.token, typed);
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({
        id: v.id,
        status: 'held',
        code: v.code,
        offerTitle: '刹车保养 Brake service',
        faceValue: '¥200 off brake service',
        driverName: '王建国 Wang Jianguo',
        plateNumber: '粤B·D1234',
        captured: null,
        price: '100.00',
        expiresAt: v.expiresAt,
      });
    }
    expect(await state()).toEqual(before);
    expect(await redemptionStatus(m.db, v.id)).toBe('held');
  });

  it('confirm posts the whole hold: the driver pays, the partner is owed, the stock stays taken', async () => {
    const { m, garage, driver, offer } = await desk('500.00');
    const v = await m.voucher(driver.token, offer.id);
    const res = await m.confirm(garage.staff.token, v.code);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id: v.id, status: 'confirmed', code: v.code, captured: '100.00', price: '100.00', driverName: '王建国 Wang Jianguo' });

    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '400.00', held: '0.00', available: '400.00' });
    const owed = await balance(m.db, garage.settlementAccountId);
    expect([owed.posted.toFixed(2), owed.incoming.toFixed(2)]).toEqual(['100.00', '0.00']);
    expect(await stockLeft(m.db, offer.id)).toBe(9);
    const mine = await m.call('GET', `/api/me/redemptions/${v.id}`, { token: driver.token });
    expect(mine.json).toMatchObject({ status: 'confirmed', captured: '100.00', resolvedAt: '2026-06-01T08:00:00.000Z' });
    await expectLedgerSound(m.db, m.clock.now());
  });

  it('confirm for a smaller amount captures that much and releases the rest to the driver', async () => {
    const { m, garage, driver, offer } = await desk('500.00');
    const v = await m.voucher(driver.token, offer.id);
    const res = await m.confirm(garage.staff.token, v.code, '62.50');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'confirmed', captured: '62.50', price: '100.00' });
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '437.50', held: '0.00', available: '437.50' });
    expect((await balance(m.db, garage.settlementAccountId)).posted.toFixed(2)).toBe('62.50');
    await expectLedgerSound(m.db, m.clock.now());
  });

  it('capturing more than the voucher, or nothing, is 422 invalid_amount and leaves it held', async () => {
    const { m, garage, driver, offer, state } = await desk();
    const v = await m.voucher(driver.token, offer.id);
    const before = await state();
    const more = expectProblem(await m.confirm(garage.staff.token, v.code, '100.01'), 422, 'invalid_amount');
    expect(more.errors).toEqual([{ path: 'amount', message: 'at most 100.00' }]);
    expectProblem(await m.confirm(garage.staff.token, v.code, '0.00'), 422, 'invalid_amount');
    expect(await state()).toEqual(before);
    expect(await redemptionStatus(m.db, v.id)).toBe('held');
  });

  it('a used voucher is 409 voucher_used, for lookup and confirm alike, and nothing changes', async () => {
    const { m, garage, driver, offer, lookup, state } = await desk();
    const v = await m.voucher(driver.token, offer.id);
    await m.confirm(garage.staff.token, v.code);
    const before = await state();
    const problem = expectProblem(await m.confirm(garage.staff.token, v.code), 409, 'voucher_used');
    expect(problem.detail).toBe(`voucher ${bare(v.code)} was used on 2026-06-01`);
    expectProblem(await lookup(garage.staff.token, v.code), 409, 'voucher_used');
    expect(await state()).toEqual(before);
  });

  it('a cancelled voucher is 409 voucher_cancelled, and nothing changes', async () => {
    const { m, garage, driver, offer, lookup, state } = await desk();
    const v = await m.voucher(driver.token, offer.id);
    expect((await m.cancel(driver.token, v.id)).status).toBe(200);
    const before = await state();
    const problem = expectProblem(await m.confirm(garage.staff.token, v.code), 409, 'voucher_cancelled');
    expect(problem.detail).toBe(`voucher ${bare(v.code)} was cancelled`);
    expectProblem(await lookup(garage.staff.token, v.code), 409, 'voucher_cancelled');
    expect(await state()).toEqual(before);
  });

  it('reject voids the hold and restores the stock; the rejected voucher cannot then be confirmed', async () => {
    const { m, garage, driver, offer, reject, lookup } = await desk('500.00');
    const v = await m.voucher(driver.token, offer.id);
    const res = await reject(garage.staff.token, v.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ id: v.id, status: 'rejected' });
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '500.00', held: '0.00', available: '500.00' });
    expect(await stockLeft(m.db, offer.id)).toBe(10);
    const [voided] = await queryRows(m.db, sql`select t.type, t.code, t.reason from ledger_transfers t join redemptions r on t.pending_id = r.hold_id where r.id = ${v.id}`);
    expect(voided).toEqual({ type: 'void_pending', code: 'void', reason: 'the part is not in stock' });

    const problem = expectProblem(await m.confirm(garage.staff.token, v.code), 409, 'voucher_rejected');
    expect(problem.detail).toBe(`voucher ${bare(v.code)} was rejected`);
    expectProblem(await lookup(garage.staff.token, v.code), 409, 'voucher_rejected');
    expectProblem(await reject(garage.staff.token, v.id), 409, 'voucher_rejected');
    await expectLedgerSound(m.db, m.clock.now());
  });

  it('a voucher past its 30 days is 422 voucher_expired, before and after the expiry job has run', async () => {
    const { m, garage, driver, offer, lookup, reject, state } = await desk('500.00');
    const v = await m.voucher(driver.token, offer.id);
    m.clock.advance(30 * DAY - 1);
    expect((await lookup(garage.staff.token, v.code)).status).toBe(200);

    m.clock.advance(1); // exactly at expiry: no longer valid
    const before = await state();
    const problem = expectProblem(await m.confirm(garage.staff.token, v.code), 422, 'voucher_expired');
    expect(problem.detail).toBe(`voucher ${bare(v.code)} expired on 2026-07-01`);
    expectProblem(await lookup(garage.staff.token, v.code), 422, 'voucher_expired');
    expectProblem(await reject(garage.staff.token, v.id), 422, 'voucher_expired');
    expect(await state()).toEqual(before);

    expect(await expireRedemptions(m.db, m.clock)).toBe(1);
    expectProblem(await m.confirm(garage.staff.token, v.code), 422, 'voucher_expired');
    expect(await redemptionStatus(m.db, v.id)).toBe('expired');
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '500.00', held: '0.00', available: '500.00' });
    await expectLedgerSound(m.db, m.clock.now());
  });

  it("another partner's voucher is 403 voucher_wrong_partner at lookup, confirm and reject (404), and nothing changes", async () => {
    const { m, driver, offer, lookup, reject, state } = await desk();
    const rival = await m.addPartner({ name: 'Rival Garage' });
    const v = await m.voucher(driver.token, offer.id);
    const before = await state();
    const problem = expectProblem(await m.confirm(rival.staff.token, v.code), 403, 'voucher_wrong_partner');
    expect(problem.detail).toBe('this voucher is for another partner; the driver should use it there');
    expectNoLeak(JSON.stringify(problem));
    expect(JSON.stringify(problem)).not.toContain(driver.name);
    expectProblem(await lookup(rival.staff.token, v.code), 403, 'voucher_wrong_partner');
    expectProblem(await reject(rival.staff.token, v.id), 404, 'redemption_not_found');
    expect(await state()).toEqual(before);
    expect(await redemptionStatus(m.db, v.id)).toBe('held');
  });

  it('a typo is 422 voucher_typo; a well-formed code nobody holds is 404 voucher_not_found', async () => {
    const { m, garage, driver, offer, lookup, state } = await desk();
    const v = await m.voucher(driver.token, offer.id);
    const code = bare(v.code);
    const swapAt = [...Array(9).keys()].find((i) => code[i] !== code[i + 1])!;
    const swapped = code.slice(0, swapAt) + code[swapAt + 1] + code[swapAt] + code.slice(swapAt + 2);
    const wrongChar = code.slice(0, 3) + (code[3] === 'K' ? 'M' : 'K') + code.slice(4);
    const before = await state();
    for (const typo of [swapped, wrongChar]) {
      const problem = expectProblem(await m.confirm(garage.staff.token, typo), 422, 'voucher_typo');
      expect(problem.detail).toBe('this code has a typo: one character is wrong or two are swapped');
      expect(problem.errors).toEqual([{ path: 'code', message: problem.detail }]);
      expectProblem(await lookup(garage.staff.token, typo), 422, 'voucher_typo');
    }
    expect(expectProblem(await m.confirm(garage.staff.token, code.slice(0, 9)), 422, 'voucher_typo').detail).toBe('a voucher code has 10 characters; this has 9');
    expectProblem(await m.confirm(garage.staff.token, code.replace(/^./, 'O')), 422, 'voucher_typo');
    // a valid code that was never issued
    const unknown = newVoucherCode();
    expect(expectProblem(await m.confirm(garage.staff.token, unknown), 404, 'voucher_not_found').detail).toBe(`no voucher ${unknown}; check the code with the driver`);
    expect(await state()).toEqual(before);
  });

  it('only partner staff use the desk; drivers and the committee get 403', async () => {
    const { m, driver, offer, lookup, reject } = await desk();
    const v = await m.voucher(driver.token, offer.id);
    for (const token of [driver.token, m.committee.token]) {
      expectProblem(await m.confirm(token, v.code), 403, 'forbidden');
      expectProblem(await lookup(token, v.code), 403, 'forbidden');
      expectProblem(await reject(token, v.id), 403, 'forbidden');
      expectProblem(await m.call('GET', '/api/partner/statement', { token }), 403, 'forbidden');
    }
    expect(await redemptionStatus(m.db, v.id)).toBe('held');
  });

  it("the statement lists a period's confirmed vouchers with their total, as JSON", async () => {
    const { m, garage, driver, offer } = await desk('1000.00');
    const other = await m.addDriver('1000.00', { name: '李师傅 Li Ming', plateNumber: '粤B·E5678' });
    const a = await m.voucher(driver.token, offer.id);
    const b = await m.voucher(other.token, offer.id);
    const held = await m.voucher(driver.token, offer.id);
    const c = await m.voucher(driver.token, offer.id);
    m.clock.set('2026-06-03T10:00:00.000Z');
    expect((await m.confirm(garage.staff.token, a.code)).status).toBe(200);
    m.clock.set('2026-06-20T16:30:00.000Z');
    expect((await m.confirm(garage.staff.token, b.code, '75.25')).status).toBe(200);
    m.clock.set('2026-07-01T07:59:00.000Z'); // next month, a minute before the voucher expires
    expect((await m.confirm(garage.staff.token, c.code)).status).toBe(200);
    expect(await redemptionStatus(m.db, held.id)).toBe('held'); // never on a statement

    const june = await m.call('GET', '/api/partner/statement?from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z', { token: garage.staff.token });
    expect(june.status, june.text).toBe(200);
    expect(june.json).toEqual({
      partnerId: garage.id,
      from: '2026-06-01T00:00:00.000Z',
      to: '2026-07-01T00:00:00.000Z',
      total: '175.25',
      count: 2,
      lines: [
        { redemptionId: a.id, confirmedAt: '2026-06-03T10:00:00.000Z', code: a.code, offerTitle: '刹车保养 Brake service', driverName: '王建国 Wang Jianguo', plateNumber: '粤B·D1234', points: '100.00', settled: false },
        { redemptionId: b.id, confirmedAt: '2026-06-20T16:30:00.000Z', code: b.code, offerTitle: '刹车保养 Brake service', driverName: '李师傅 Li Ming', plateNumber: '粤B·E5678', points: '75.25', settled: false },
      ],
    });
    // no dates: the current month of the programme's calendar (Asia/Shanghai; July 1, 15:59 there)
    const july = await m.call('GET', '/api/partner/statement', { token: garage.staff.token });
    expect(july.json).toMatchObject({ from: '2026-06-30T16:00:00.000Z', to: '2026-07-31T16:00:00.000Z', total: '100.00', count: 1, lines: [{ redemptionId: c.id }] });
    // 00:30 on July 1 in Shanghai is still June 30 in UTC: already July's statement
    m.clock.set('2026-06-30T16:30:00.000Z');
    expect((await m.call('GET', '/api/partner/statement', { token: garage.staff.token })).json).toMatchObject({ from: '2026-06-30T16:00:00.000Z', to: '2026-07-31T16:00:00.000Z' });
    m.clock.set('2026-07-31T16:00:00.000Z');
    expect((await m.call('GET', '/api/partner/statement', { token: garage.staff.token })).json).toMatchObject({ from: '2026-07-31T16:00:00.000Z', to: '2026-08-31T16:00:00.000Z' });
    m.clock.set('2026-07-01T07:59:00.000Z');
    // another partner sees none of it
    const rival = await m.addPartner({ name: 'Rival' });
    const theirs = await m.call('GET', '/api/partner/statement?from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z', { token: rival.staff.token });
    expect(theirs.json).toMatchObject({ partnerId: rival.id, total: '0.00', count: 0, lines: [] });
    expectProblem(await m.call('GET', '/api/partner/statement?from=2026-07-01T00:00:00Z&to=2026-06-01T00:00:00Z', { token: garage.staff.token }), 400, 'validation_failed');
  });

  it('the statement as CSV has a header, one row per voucher, a total row, and formulas neutralised', async () => {
    const { m, garage, driver, offer } = await desk('1000.00', { name: '=HYPERLINK("http://evil.example/x","Click me")', plateNumber: '+粤B·F9012' });
    const plain = await m.addDriver('1000.00', { name: '张伟 Zhang Wei', plateNumber: '粤B·F0001' });
    const a = await m.voucher(driver.token, offer.id);
    const b = await m.voucher(plain.token, offer.id);
    m.clock.set('2026-06-05T12:00:00.000Z');
    expect((await m.confirm(garage.staff.token, a.code, '40.00')).status).toBe(200);
    expect((await m.confirm(garage.staff.token, b.code)).status).toBe(200);

    for (const how of [{ query: '&format=csv', headers: {} as Record<string, string> }, { query: '', headers: { accept: 'text/csv' } }]) {
      const res = await m.call('GET', `/api/partner/statement?from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z${how.query}`, { token: garage.staff.token, headers: how.headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="milepost-statement-2026-06-01-2026-07-01.csv"');
      const rows = parseCsv(res.text);
      expect(rows).toEqual([
        ['confirmed_at', 'voucher', 'offer', 'driver', 'plate', 'points', 'settled'],
        ['2026-06-05T12:00:00.000Z', a.code, '刹车保养 Brake service', `'=HYPERLINK("http://evil.example/x","Click me")`, "'+粤B·F9012", '40.00', 'no'],
        ['2026-06-05T12:00:00.000Z', b.code, '刹车保养 Brake service', '张伟 Zhang Wei', '粤B·F0001', '100.00', 'no'],
        ['', '', '', '', 'total', '140.00', ''],
      ]);
      // no cell a spreadsheet would run as a formula
      for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('an unknown redemption id at reject is 404, a short reason 400', async () => {
    const { m, garage, driver, offer, reject } = await desk();
    const v = await m.voucher(driver.token, offer.id);
    expectProblem(await reject(garage.staff.token, randomUUID()), 404, 'redemption_not_found');
    expectProblem(await reject(garage.staff.token, v.id, 'no'), 400, 'validation_failed');
    expect(await redemptionStatus(m.db, v.id)).toBe('held');
  });
});
