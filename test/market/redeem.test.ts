// Redeeming points for a voucher: what a driver gets, what the ledger and the stock show, what a
// retry does, and every refusal — each its own problem type, each leaving wallet, stock, ledger
// and redemptions exactly as they were.

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { balance } from '../../api/ledger/reads';
import { describeEachBackend } from '../support/backends';
import { expectProblem } from '../support/problems';
import { DAY, expectLedgerSound, fundWallet, ledgerSoundAfterEach, marketScene, type MarketScene, marketState, stockLeft } from './market-support';

describeEachBackend('market: redeem', (current) => {
  ledgerSoundAfterEach(current);

  async function shop(driverPoints = '500.00') {
    const m = await marketScene(current());
    const garage = await m.addPartner({ name: '顺达汽修 Shunda Garage', address: '12 Harbour Road' });
    const driver = await m.addDriver(driverPoints);
    return { m, garage, driver };
  }

  /** Calls `act`, expects the problem, and proves nothing at all changed. */
  async function refusedWithNothingChanged(
    m: MarketScene,
    driver: { id: string; wallet: string },
    offerId: string,
    act: () => Promise<Awaited<ReturnType<MarketScene['redeem']>>>,
    status: number,
    code: string,
  ) {
    const before = await marketState(m.db, driver.wallet, offerId, driver.id);
    const problem = expectProblem(await act(), status, code);
    expect(await marketState(m.db, driver.wallet, offerId, driver.id)).toEqual(before);
    await expectLedgerSound(m.db, m.clock.now());
    return problem;
  }

  it('issues a held voucher: code, QR, 30-day expiry; the points are held and the stock is down by one', async () => {
    const { m, garage, driver } = await shop('500.00');
    const offer = await m.activeOffer(garage.staff.token, { price: '120.50', stock: 10, title: '刹车保养 Brake service' });

    const res = await m.redeem(driver.token, offer.id);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      offerId: offer.id,
      offerTitle: '刹车保养 Brake service',
      faceValue: '¥200 off brake service',
      partner: { id: garage.id, name: '顺达汽修 Shunda Garage', address: '12 Harbour Road' },
      code: expect.stringMatching(/^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$/),
      qr: expect.stringMatching(/^data:image\/svg\+xml;base64,/),
      price: '120.50',
      captured: null,
      status: 'held',
      expiresAt: '2026-07-01T08:00:00.000Z',
      createdAt: '2026-06-01T08:00:00.000Z',
      resolvedAt: null,
      replayed: false,
    });

    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '500.00', held: '120.50', available: '379.50' });
    expect(await stockLeft(m.db, offer.id)).toBe(9);
    // the hold runs from the wallet to the partner's settlement account, and expires with the voucher
    const [hold] = await queryRows<Record<string, string>>(
      m.db,
      sql`select t.type, t.code, t.amount::text as amount, t.expires_at, t.ref_type, t.ref_id::text as ref_id
            from ledger_transfers t join redemptions r on r.hold_id = t.id where r.id = ${res.json.id}`,
    );
    expect(hold).toMatchObject({ type: 'pending', code: 'redeem', amount: '120.50', ref_type: 'redemption', ref_id: res.json.id });
    expect(new Date(hold!.expires_at!).toISOString()).toBe('2026-07-01T08:00:00.000Z');
    expect((await balance(m.db, garage.settlementAccountId)).incoming.toFixed(2)).toBe('120.50');

    const mine = await m.call('GET', '/api/me/redemptions', { token: driver.token });
    expect(mine.status).toBe(200);
    expect(mine.json.items).toHaveLength(1);
    expect(mine.json.items[0]).toMatchObject({ id: res.json.id, code: res.json.code, status: 'held', price: '120.50' });
    expect(mine.json.items[0].qr).toBeUndefined();
    const one = await m.call('GET', `/api/me/redemptions/${res.json.id}`, { token: driver.token });
    expect(one.json).toMatchObject({ id: res.json.id, code: res.json.code, qr: res.json.qr, status: 'held' });
    await expectLedgerSound(m.db, m.clock.now());
  });

  it('a retry with the same Idempotency-Key returns the same voucher, and holds the points once', async () => {
    const { m, garage, driver } = await shop('500.00');
    const offer = await m.activeOffer(garage.staff.token, { price: '100.00', stock: 10 });
    const key = randomUUID();
    const first = await m.redeem(driver.token, offer.id, key);
    m.clock.advance(5_000);
    const again = await m.redeem(driver.token, offer.id, key);
    expect(again.status).toBe(201);
    expect(again.json).toEqual({ ...first.json, replayed: true });
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '500.00', held: '100.00', available: '400.00' });
    expect(await stockLeft(m.db, offer.id)).toBe(9);
    expect((await m.call('GET', '/api/me/redemptions', { token: driver.token })).json.items).toHaveLength(1);
  });

  it("a driver sees only their own vouchers: another driver's is a 404 and absent from the list", async () => {
    const { m, garage, driver } = await shop('500.00');
    const other = await m.addDriver('500.00');
    const offer = await m.activeOffer(garage.staff.token);
    const theirs = await m.voucher(other.token, offer.id);
    expectProblem(await m.call('GET', `/api/me/redemptions/${theirs.id}`, { token: driver.token }), 404, 'redemption_not_found');
    expect((await m.call('GET', '/api/me/redemptions', { token: driver.token })).json.items).toEqual([]);
    expectProblem(await m.call('GET', `/api/me/redemptions/${theirs.id}`, { token: garage.staff.token }), 403, 'forbidden');
  });

  it('the same Idempotency-Key for a different offer is a 409, and nothing changes', async () => {
    const { m, garage, driver } = await shop('500.00');
    const offer = await m.activeOffer(garage.staff.token);
    const other = await m.activeOffer(garage.staff.token, { title: 'Tyres' });
    const key = randomUUID();
    await m.redeem(driver.token, offer.id, key);
    const problem = await refusedWithNothingChanged(m, driver, other.id, () => m.redeem(driver.token, other.id, key), 409, 'idempotency_conflict');
    expect(problem.detail).toBe('this Idempotency-Key was used to redeem a different offer');
  });

  it("one driver's key is not another's: the same Idempotency-Key from two drivers gives two vouchers", async () => {
    const { m, garage, driver } = await shop('500.00');
    const other = await m.addDriver('500.00');
    const offer = await m.activeOffer(garage.staff.token);
    const key = randomUUID();
    const a = await m.redeem(driver.token, offer.id, key);
    const b = await m.redeem(other.token, offer.id, key);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.json.replayed).toBe(false);
    expect(b.json.id).not.toBe(a.json.id);
    expect(await stockLeft(m.db, offer.id)).toBe(8);
  });

  it('a redeem needs an Idempotency-Key and an offer id; only drivers redeem', async () => {
    const { m, garage, driver } = await shop();
    const offer = await m.activeOffer(garage.staff.token);
    const noKey = expectProblem(await m.call('POST', '/api/redemptions', { token: driver.token, body: { offerId: offer.id } }), 400, 'validation_failed');
    expect(noKey.errors?.map((e) => e.path)).toContain('idempotency-key');
    expectProblem(await m.redeem(driver.token, 'not-an-id'), 400, 'validation_failed');
    expectProblem(await m.redeem(garage.staff.token, offer.id), 403, 'forbidden');
    expectProblem(await m.redeem(m.committee.token, offer.id), 403, 'forbidden');
    expect(await stockLeft(m.db, offer.id)).toBe(10);
  });

  it('an unknown offer is 404 offer_not_found', async () => {
    const { m, garage, driver } = await shop();
    const offer = await m.activeOffer(garage.staff.token);
    await refusedWithNothingChanged(m, driver, offer.id, () => m.redeem(driver.token, randomUUID()), 404, 'offer_not_found');
  });

  it('an offer that is not active — paused, pending, retired — is 422 offer_not_active, saying why', async () => {
    const { m, garage, driver } = await shop();
    const paused = await m.activeOffer(garage.staff.token, { title: 'paused' });
    await m.patchOffer(garage.staff.token, paused.id, { status: 'paused' });
    const pending = await m.propose(garage.staff.token, { title: 'pending' });
    const retired = await m.activeOffer(garage.staff.token, { title: 'retired' });
    await m.patchOffer(garage.staff.token, retired.id, { status: 'retired' });

    const cases: Array<[string, string]> = [
      [paused.id, 'the offer is paused'],
      [pending.id, 'the offer is pending approval'],
      [retired.id, 'the offer is retired'],
    ];
    for (const [offerId, detail] of cases) {
      const problem = await refusedWithNothingChanged(m, driver, offerId, () => m.redeem(driver.token, offerId), 422, 'offer_not_active');
      expect(problem.detail).toBe(detail);
    }
  });

  it('an offer outside its validity window — not yet open, already ended — is 422 offer_not_active', async () => {
    const { m, garage, driver } = await shop();
    const notYet = await m.activeOffer(garage.staff.token, { validFrom: '2026-06-02T00:00:00Z' });
    const ending = await m.activeOffer(garage.staff.token, { validFrom: '2026-05-01T00:00:00Z', validTo: '2026-06-10T00:00:00Z' });

    const early = await refusedWithNothingChanged(m, driver, notYet.id, () => m.redeem(driver.token, notYet.id), 422, 'offer_not_active');
    expect(early.detail).toBe('the offer opens on 2026-06-02');

    m.clock.set('2026-06-10T00:00:00.000Z'); // validTo is exclusive
    const late = await refusedWithNothingChanged(m, driver, ending.id, () => m.redeem(driver.token, ending.id), 422, 'offer_not_active');
    expect(late.detail).toBe('the offer ended on 2026-06-10');
    // the one that was not yet open now is
    expect((await m.redeem(driver.token, notYet.id)).status).toBe(201);
  });

  it('an offer out of stock is 409 out_of_stock', async () => {
    const { m, garage, driver } = await shop('500.00');
    const other = await m.addDriver('500.00');
    const offer = await m.activeOffer(garage.staff.token, { stock: 1 });
    const none = await m.activeOffer(garage.staff.token, { stock: 0 });
    expect((await m.redeem(other.token, offer.id)).status).toBe(201);
    const problem = await refusedWithNothingChanged(m, driver, offer.id, () => m.redeem(driver.token, offer.id), 409, 'out_of_stock');
    expect(problem.detail).toBe('all vouchers for this offer are taken');
    await refusedWithNothingChanged(m, driver, none.id, () => m.redeem(driver.token, none.id), 409, 'out_of_stock');
    expect(await stockLeft(m.db, offer.id)).toBe(0);
  });

  it('not enough available points is 422 insufficient_funds — points already held count as spent', async () => {
    const { m, garage, driver } = await shop('199.99');
    const offer = await m.activeOffer(garage.staff.token, { price: '100.00' });
    expect((await m.redeem(driver.token, offer.id)).status).toBe(201);
    const problem = await refusedWithNothingChanged(m, driver, offer.id, () => m.redeem(driver.token, offer.id), 422, 'insufficient_funds');
    expect(problem.detail).toBe('this voucher costs 100.00 points; you have fewer available');
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '199.99', held: '100.00', available: '99.99' });
  });

  it('a grade below the minimum is 422 grade_too_low: a driver not graded yet counts as B', async () => {
    const { m, garage, driver } = await shop('500.00');
    for (const minGrade of ['A', 'AA', 'AAA'] as const) {
      const offer = await m.activeOffer(garage.staff.token, { minGrade, title: `${minGrade} only` });
      const problem = await refusedWithNothingChanged(m, driver, offer.id, () => m.redeem(driver.token, offer.id), 422, 'grade_too_low');
      expect(problem.detail).toBe(`this offer needs grade ${minGrade} or better; your grade is B`);
    }
    const everyone = await m.activeOffer(garage.staff.token, { minGrade: 'B', title: 'B and better' });
    expect((await m.redeem(driver.token, everyone.id)).status).toBe(201);
  });

  it('the per-driver limit: a second voucher is 422 limit_reached, and after cancelling the first it works again', async () => {
    const { m, garage, driver } = await shop('500.00');
    const offer = await m.activeOffer(garage.staff.token, { perDriverLimit: 1, limitPeriod: 'ever', stock: 10 });
    const first = await m.voucher(driver.token, offer.id);
    const problem = await refusedWithNothingChanged(m, driver, offer.id, () => m.redeem(driver.token, offer.id), 422, 'limit_reached');
    expect(problem.detail).toBe('you can redeem this offer 1 time(s) in total');

    // another driver is not limited by this one
    const other = await m.addDriver('500.00');
    expect((await m.redeem(other.token, offer.id)).status).toBe(201);

    expect((await m.cancel(driver.token, first.id)).status).toBe(200);
    const again = await m.redeem(driver.token, offer.id);
    expect(again.status, again.text).toBe(201);
    expect(again.json.id).not.toBe(first.id);
  });

  it('the per-driver limit counts over a rolling period: a daily limit opens again 24 hours later', async () => {
    const { m, garage, driver } = await shop('500.00');
    const offer = await m.activeOffer(garage.staff.token, { perDriverLimit: 2, limitPeriod: 'day', price: '10.00' });
    await m.voucher(driver.token, offer.id);
    m.clock.advance(DAY / 2);
    await m.voucher(driver.token, offer.id);
    const problem = await refusedWithNothingChanged(m, driver, offer.id, () => m.redeem(driver.token, offer.id), 422, 'limit_reached');
    expect(problem.detail).toBe('you can redeem this offer 2 time(s) per day');
    m.clock.advance(DAY / 2 + 1);
    expect((await m.redeem(driver.token, offer.id)).status).toBe(201);
    await refusedWithNothingChanged(m, driver, offer.id, () => m.redeem(driver.token, offer.id), 422, 'limit_reached');
  });

  it('a refused redeem can be retried with the same key once the reason is gone', async () => {
    const { m, garage, driver } = await shop('50.00');
    const offer = await m.activeOffer(garage.staff.token, { price: '100.00' });
    const key = randomUUID();
    expectProblem(await m.redeem(driver.token, offer.id, key), 422, 'insufficient_funds');
    await fundWallet(m.db, m.clock, driver.wallet, '50.00');
    const res = await m.redeem(driver.token, offer.id, key);
    expect(res.status, res.text).toBe(201);
    expect(res.json.replayed).toBe(false);
    expect(await m.walletOfDriver(driver.wallet)).toEqual({ posted: '100.00', held: '100.00', available: '0.00' });
  });
});
