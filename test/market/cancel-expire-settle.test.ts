// After the voucher: the driver cancels, the expiry job sweeps, the committee settles. Each
// moves points exactly once, restores stock where it should, and leaves the ledger sound.

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { createLedger } from '../../api/ledger/ledger';
import { balance } from '../../api/ledger/reads';
import { expireRedemptions } from '../../api/market/redemptions';
import { describeEachBackend } from '../support/backends';
import { expectProblem } from '../support/problems';
import { DAY, expectLedgerSound, ledgerSoundAfterEach, marketScene, redemptionStatus, stockLeft } from './market-support';

describeEachBackend('market: cancel, expire, settle', (current) => {
  ledgerSoundAfterEach(current);

  async function shop(points = '500.00') {
    const m = await marketScene(current());
    const garage = await m.addPartner({ name: '顺达汽修 Shunda Garage' });
    const driver = await m.addDriver(points);
    const offer = await m.activeOffer(garage.staff.token, { price: '100.00', stock: 10, perDriverLimit: 10 });
    return { m, garage, driver, offer };
  }

  const holdResolution = (m: { db: Parameters<typeof queryRows>[0] }, redemptionId: string) =>
    queryRows<{ type: string; code: string }>(m.db, sql`select t.type, t.code from ledger_transfers t join redemptions r on t.pending_id = r.hold_id where r.id = ${redemptionId}`);

  it('the driver cancels: the hold is voided, the stock restored, the points available again', async () => {
    const { m, driver, offer } = await shop('500.00');
    const v = await m.voucher(driver.token, offer.id);
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '500.00', held: '100.00', available: '400.00' });
    expect(await stockLeft(m.db, offer.id)).toBe(9);

    const res = await m.cancel(driver.token, v.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ id: v.id, status: 'cancelled' });
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '500.00', held: '0.00', available: '500.00' });
    expect(await stockLeft(m.db, offer.id)).toBe(10);
    expect(await holdResolution(m, v.id)).toEqual([{ type: 'void_pending', code: 'void' }]);
    expect((await m.call('GET', `/api/me/redemptions/${v.id}`, { token: driver.token })).json).toMatchObject({ status: 'cancelled', resolvedAt: '2026-06-01T08:00:00.000Z' });
    await expectLedgerSound(m.db, m.clock.now());
  });

  it("a driver cannot cancel someone else's voucher (404), nor one already confirmed or cancelled (409)", async () => {
    const { m, garage, driver, offer } = await shop('500.00');
    const other = await m.addDriver('500.00');
    const theirs = await m.voucher(other.token, offer.id);
    expectProblem(await m.cancel(driver.token, theirs.id), 404, 'redemption_not_found');
    expectProblem(await m.cancel(driver.token, randomUUID()), 404, 'redemption_not_found');
    expect(await redemptionStatus(m.db, theirs.id)).toBe('held');
    expect(await m.walletOfDriver(other.wallet)).toEqual({ posted: '500.00', held: '100.00', available: '400.00' });

    const used = await m.voucher(driver.token, offer.id);
    await m.confirm(garage.staff.token, used.code);
    const problem = expectProblem(await m.cancel(driver.token, used.id), 409, 'redemption_not_open');
    expect(problem.detail).toBe('this redemption is already confirmed');
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '400.00', held: '0.00', available: '400.00' });

    const once = await m.voucher(driver.token, offer.id);
    expect((await m.cancel(driver.token, once.id)).status).toBe(200);
    expectProblem(await m.cancel(driver.token, once.id), 409, 'redemption_not_open');
    expect(await stockLeft(m.db, offer.id)).toBe(8); // theirs and the used one
    expectProblem(await m.cancel(garage.staff.token, theirs.id), 403, 'forbidden');
    await expectLedgerSound(m.db, m.clock.now());
  });

  it('expireRedemptions() expires due vouchers only, voids their holds, restores stock, and a second run does nothing', async () => {
    const { m, driver, offer } = await shop('500.00');
    const early = [await m.voucher(driver.token, offer.id), await m.voucher(driver.token, offer.id)];
    m.clock.advance(10 * DAY);
    const later = await m.voucher(driver.token, offer.id);
    expect(await stockLeft(m.db, offer.id)).toBe(7);

    m.clock.advance(20 * DAY - 1);
    expect(await expireRedemptions(m.db, m.clock)).toBe(0);
    m.clock.advance(1); // the first two are exactly 30 days old
    expect(await expireRedemptions(m.db, m.clock)).toBe(2);
    expect(await expireRedemptions(m.db, m.clock)).toBe(0);

    for (const v of early) {
      expect(await redemptionStatus(m.db, v.id)).toBe('expired');
      expect(await holdResolution(m, v.id)).toEqual([{ type: 'void_pending', code: 'hold_expired' }]);
    }
    expect(await redemptionStatus(m.db, later.id)).toBe('held');
    expect(await stockLeft(m.db, offer.id)).toBe(9);
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '500.00', held: '100.00', available: '400.00' });
    const mine = (await m.call('GET', '/api/me/redemptions', { token: driver.token })).json.items;
    expect(mine.map((r: { status: string }) => r.status)).toEqual(['held', 'expired', 'expired']);
    await expectLedgerSound(m.db, m.clock.now());

    m.clock.advance(10 * DAY);
    expect(await expireRedemptions(m.db, m.clock)).toBe(1);
    expect(await stockLeft(m.db, offer.id)).toBe(10);
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '500.00', held: '0.00', available: '500.00' });
    await expectLedgerSound(m.db, m.clock.now());
  });

  it("expireRedemptions() still expires a voucher whose hold the ledger's own sweep voided first", async () => {
    const { m, driver, offer } = await shop('500.00');
    const v = await m.voucher(driver.token, offer.id);
    m.clock.advance(30 * DAY);
    expect(await createLedger(m.db, m.clock, { batching: false }).expireHolds()).toBe(1);
    expect(await redemptionStatus(m.db, v.id)).toBe('held');
    expect(await stockLeft(m.db, offer.id)).toBe(9);

    expect(await expireRedemptions(m.db, m.clock)).toBe(1);
    expect(await redemptionStatus(m.db, v.id)).toBe('expired');
    expect(await stockLeft(m.db, offer.id)).toBe(10);
    expect(await holdResolution(m, v.id)).toEqual([{ type: 'void_pending', code: 'hold_expired' }]);
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '500.00', held: '0.00', available: '500.00' });
    await expectLedgerSound(m.db, m.clock.now());
  });

  it('expireRedemptions() works through a backlog bigger than one batch', async () => {
    const { m, garage } = await shop();
    const offer = await m.activeOffer(garage.staff.token, { price: '1.00', stock: 30, perDriverLimit: 30 });
    const driver = await m.addDriver('30.00');
    for (let i = 0; i < 12; i++) await m.voucher(driver.token, offer.id);
    m.clock.advance(30 * DAY);
    expect(await expireRedemptions(m.db, m.clock, 5)).toBe(5);
    expect(await expireRedemptions(m.db, m.clock, 5)).toBe(5);
    expect(await expireRedemptions(m.db, m.clock, 5)).toBe(2);
    expect(await expireRedemptions(m.db, m.clock, 5)).toBe(0);
    expect(await stockLeft(m.db, offer.id)).toBe(30);
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '30.00', held: '0.00', available: '30.00' });
    await expectLedgerSound(m.db, m.clock.now());
  });

  it('settlement moves the confirmed points of a period to `settled`, marks the statement, is audited and replays', async () => {
    const { m, garage, driver, offer } = await shop('1000.00');
    const settle = (key: string, body: { from: string; to: string }, partnerId = garage.id) =>
      m.call('POST', `/api/partners/${partnerId}/settlements`, { token: m.committee.token, headers: { 'idempotency-key': key }, body });
    const june = { from: '2026-06-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z' };

    const a = await m.voucher(driver.token, offer.id);
    const b = await m.voucher(driver.token, offer.id);
    const held = await m.voucher(driver.token, offer.id);
    const c = await m.voucher(driver.token, offer.id);
    m.clock.set('2026-06-10T09:00:00.000Z');
    expect((await m.confirm(garage.staff.token, a.code)).status).toBe(200);
    expect((await m.confirm(garage.staff.token, b.code, '30.50')).status).toBe(200);
    m.clock.set('2026-07-01T07:00:00.000Z');
    expect((await m.confirm(garage.staff.token, c.code)).status).toBe(200); // July: not in June's settlement

    const settledBefore = (await balance(m.db, PROGRAMME_ACCOUNTS.settled)).posted;
    expect((await balance(m.db, garage.settlementAccountId)).posted.toFixed(2)).toBe('230.50');

    const key = randomUUID();
    const res = await settle(key, june);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      partnerId: garage.id,
      from: june.from,
      to: june.to,
      amount: '130.50',
      redemptions: 2,
      transferId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      replayed: false,
    });
    expect((await balance(m.db, garage.settlementAccountId)).posted.toFixed(2)).toBe('100.00');
    expect((await balance(m.db, PROGRAMME_ACCOUNTS.settled)).posted.minus(settledBefore).toFixed(2)).toBe('130.50');
    const [transfer] = await queryRows(m.db, sql`select type, code, amount::text as amount, ref_type, ref_id::text as ref_id from ledger_transfers where id = ${res.json.transferId}`);
    expect(transfer).toEqual({ type: 'posted', code: 'settle', amount: '130.50', ref_type: 'settlement', ref_id: res.json.id });

    const statement = await m.call('GET', `/api/partner/statement?from=${june.from}&to=${june.to}`, { token: garage.staff.token });
    expect(statement.json.lines.map((l: { redemptionId: string; settled: boolean }) => [l.redemptionId, l.settled])).toEqual([
      [a.id, true],
      [b.id, true],
    ]);
    const julyStatement = await m.call('GET', '/api/partner/statement', { token: garage.staff.token });
    expect(julyStatement.json.lines.map((l: { settled: boolean }) => l.settled)).toEqual([false]);

    const audits = await queryRows<{ action: string; actor_id: string; target_id: string }>(
      m.db,
      sql`select action, actor_id, target_id from audit_log where action = 'partner.settle'`,
    );
    expect(audits).toEqual([{ action: 'partner.settle', actor_id: m.committee.id, target_id: garage.id }]);

    // the same request again: the same settlement, nothing moved twice
    const again = await settle(key, june);
    expect(again.status).toBe(201);
    expect(again.json).toEqual({ ...res.json, replayed: true });
    expect((await balance(m.db, garage.settlementAccountId)).posted.toFixed(2)).toBe('100.00');
    expect(await queryRows(m.db, sql`select 1 from audit_log where action = 'partner.settle'`)).toHaveLength(1);

    // the same key for another period is a conflict; another settlement of June is a conflict
    expectProblem(await settle(key, { from: '2026-07-01T00:00:00.000Z', to: '2026-08-01T00:00:00.000Z' }), 409, 'idempotency_conflict');
    const twice = expectProblem(await settle(randomUUID(), june), 409, 'conflict');
    expect(twice.detail).toBe('this partner already has a settlement for exactly this period');
    expect((await balance(m.db, garage.settlementAccountId)).posted.toFixed(2)).toBe('100.00');
    expect(await redemptionStatus(m.db, held.id)).toBe('held');

    // Neither the settlement's transfer nor a voucher's capture is reversed behind the market's back.
    const [capture] = await queryRows<{ id: string }>(m.db, sql`select t.id from ledger_transfers t join redemptions r on t.pending_id = r.hold_id where r.id = ${a.id}`);
    for (const transferId of [res.json.transferId as string, capture!.id]) {
      const refused = expectProblem(
        await m.call('POST', `/api/ledger/transfers/${transferId}/reverse`, { token: m.committee.token, headers: { 'idempotency-key': randomUUID() }, body: { reason: 'entered in error' } }),
        422,
        'not_reversible',
      );
      expect(refused.detail).toMatch(/the market keeps its own record of it/);
    }
    expect(await queryRows(m.db, sql`select 1 from ledger_transfers where reverses_id is not null`)).toHaveLength(0);
    expect((await balance(m.db, garage.settlementAccountId)).posted.toFixed(2)).toBe('100.00');
    await expectLedgerSound(m.db, m.clock.now());
  });

  it('a period is settled once it has ended; dates the database cannot store are a 400, not a 500', async () => {
    const { m, garage } = await shop();
    const settle = (body: { from: string; to: string }) =>
      m.call('POST', `/api/partners/${garage.id}/settlements`, { token: m.committee.token, headers: { 'idempotency-key': randomUUID() }, body });
    // the app clock stands at 2026-06-01 08:00
    const open = expectProblem(await settle({ from: '2026-06-01T00:00:00Z', to: '2026-07-01T00:00:00Z' }), 422, 'invalid_period');
    expect(open.detail).toBe('the period runs until 2026-07-01T00:00:00.000Z: settle it once it has ended');
    expectProblem(await settle({ from: '0000-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }), 400, 'validation_failed');
    expect(await queryRows(m.db, sql`select 1 from settlements`)).toHaveLength(0);
    for (const query of ['from=0000-01-01T00:00:00Z', 'to=0000-12-31T23:00:00Z&from=0000-01-01T00:00:00Z']) {
      const bad = expectProblem(await m.call('GET', `/api/partner/statement?${query}`, { token: garage.staff.token }), 400, 'validation_failed');
      expect(bad.detail).toBe('a date or time is outside what can be stored: use a year from 1 to 9999');
    }
  });

  it('a period with nothing confirmed settles to zero without a transfer; a later overlapping period does not settle anything twice', async () => {
    const { m, garage, driver, offer } = await shop('1000.00');
    const settle = (body: { from: string; to: string }) =>
      m.call('POST', `/api/partners/${garage.id}/settlements`, { token: m.committee.token, headers: { 'idempotency-key': randomUUID() }, body });
    const may = await settle({ from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z' });
    expect(may.status).toBe(201);
    expect(may.json).toMatchObject({ amount: '0.00', redemptions: 0, transferId: null });

    const v = await m.voucher(driver.token, offer.id);
    await m.confirm(garage.staff.token, v.code);
    m.clock.set('2026-07-01T08:00:00.000Z');
    expect((await settle({ from: '2026-06-01T00:00:00Z', to: '2026-06-02T00:00:00Z' })).json).toMatchObject({ amount: '100.00', redemptions: 1 });
    expect((await settle({ from: '2026-06-01T00:00:00Z', to: '2026-07-01T00:00:00Z' })).json).toMatchObject({ amount: '0.00', redemptions: 0, transferId: null });
    expect((await balance(m.db, garage.settlementAccountId)).posted.toFixed(2)).toBe('0.00');
    await expectLedgerSound(m.db, m.clock.now());
  });

  it('only the committee settles; the partner must exist; the period must run forwards', async () => {
    const { m, garage } = await shop();
    const body = { from: '2026-06-01T00:00:00Z', to: '2026-07-01T00:00:00Z' };
    const headers = { 'idempotency-key': randomUUID() };
    expectProblem(await m.call('POST', `/api/partners/${garage.id}/settlements`, { token: garage.staff.token, headers, body }), 403, 'forbidden');
    expectProblem(await m.call('POST', `/api/partners/${randomUUID()}/settlements`, { token: m.committee.token, headers, body }), 404, 'not_found');
    expectProblem(await m.call('POST', `/api/partners/${garage.id}/settlements`, { token: m.committee.token, headers, body: { from: body.to, to: body.from } }), 400, 'validation_failed');
    expectProblem(await m.call('POST', `/api/partners/${garage.id}/settlements`, { token: m.committee.token, body }), 400, 'validation_failed');
    expect(await queryRows(m.db, sql`select 1 from settlements`)).toHaveLength(0);
  });
});
