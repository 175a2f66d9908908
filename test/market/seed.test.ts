// The demo seed: an empty database gets the demo programme once — partners of every kind with
// offers in every category (some for a minimum grade), one offer awaiting approval, demo vouchers
// priced at each driver's grade — and the ledger is sound. A second run, in turn or at the same
// moment, adds nothing. The demo logins still work. (The earning and rating history the seed
// writes is checked in test/earning/seed-history.test.ts.)

import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows, type Db } from '../../db/client';
import { walletOf } from '../../api/ledger/accounts';
import { balance } from '../../api/ledger/reads';
import { demoLogins, seedDemo } from '../../api/seed';
import { shopViewOf, shopViewsOf } from '../../api/market/offers';
import { createPolicyVersion } from '../../api/rating/policies';
import { DEFAULT_POLICY, type RatingPolicy } from '../../api/rating/policy';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { extraConnections } from '../ledger/race-support';
import { expectLedgerSound } from './market-support';

const NOW = new Date('2026-06-01T08:00:00.000Z');

async function counts(db: Db) {
  const [row] = await queryRows<Record<string, string>>(
    db,
    sql`select (select count(*) from users)::text as users, (select count(*) from partners)::text as partners,
               (select count(*) from offers)::text as offers, (select count(*) from redemptions)::text as redemptions,
               (select count(*) from ledger_transfers)::text as transfers, (select count(*) from audit_log)::text as audits`,
  );
  return row!;
}

describeEachBackend('market: the demo seed', (current) => {
  it('seeds an empty database once: partners, offers in every category at every partner, one pending, demo vouchers', async () => {
    const db = current().db;
    expect(await seedDemo(db, NOW)).toEqual({ created: true, logins: demoLogins });
    const first = await counts(db);
    expect(await seedDemo(db, NOW)).toEqual({ created: false, logins: demoLogins });
    expect(await counts(db)).toEqual(first);
    expect(first).toMatchObject({ users: '27', partners: '3', offers: '19', redemptions: '5' });

    const grid = await queryRows<{ kind: string; category: string; n: string }>(
      db,
      sql`select p.kind, o.category, count(*)::text as n from offers o join partners p on p.id = o.partner_id
           where o.status = 'active' group by p.kind, o.category order by p.kind, o.category`,
    );
    const cells = grid.map((g) => `${g.kind}/${g.category}`);
    for (const kind of ['garage', 'inspection_station', 'training_school']) {
      for (const category of ['inspection', 'other', 'repair', 'training']) expect(cells).toContain(`${kind}/${category}`);
    }
    const pending = await queryRows<{ title: string; kind: string }>(
      db,
      sql`select o.title, p.kind from offers o join partners p on p.id = o.partner_id where o.status = 'pending_approval'`,
    );
    expect(pending).toEqual([{ title: '变速箱检修 Gearbox service', kind: 'garage' }]);
    const faces = await queryRows<{ face_value: string }>(db, sql`select face_value from offers where title = '刹车保养 Brake service'`);
    expect(faces).toEqual([{ face_value: '¥200 off brake service' }]);

    // Prices after the grade discount: 13900000001 is AAA (10 % off), …02 AA (5 %), …03 B (none).
    const vouchers = await queryRows<{ phone: string; status: string; price: string; captured: string | null }>(
      db,
      sql`select u.phone, r.status, r.price::text as price, r.captured::text as captured
            from redemptions r join users u on u.id = r.driver_id order by u.phone, r.status, r.price`,
    );
    expect(vouchers).toEqual([
      { phone: '13900000001', status: 'confirmed', price: '162.00', captured: '162.00' },
      { phone: '13900000001', status: 'held', price: '36.00', captured: null },
      { phone: '13900000002', status: 'held', price: '19.00', captured: null },
      { phone: '13900000003', status: 'confirmed', price: '240.00', captured: '240.00' },
      { phone: '13900000003', status: 'held', price: '99.99', captured: null },
    ]);
    // The opening balance and everything earned, less the confirmed voucher; the held one reserved.
    const [wang] = await queryRows<{ id: string; earned: string }>(
      db,
      sql`select u.id::text, coalesce(sum(e.points), 0)::text as earned
            from users u left join earnings e on e.driver_id = u.id where u.phone = '13900000001' group by u.id`,
    );
    const b = await balance(db, (await walletOf(db, wang!.id))!);
    const posted = new Decimal('320.00').plus(wang!.earned).minus('162.00');
    expect(new Decimal(wang!.earned).gt(0)).toBe(true);
    expect([b.posted.toFixed(2), b.held.toFixed(2), b.available.toFixed(2)]).toEqual([posted.toFixed(2), '36.00', posted.minus('36.00').toFixed(2)]);
    await expectLedgerSound(db, NOW);
  });

  it('keeps the demo logins: every one signs in, and the demo driver sees the catalog with a voucher to show', async () => {
    const t = testApp(current());
    await seedDemo(t.db, t.clock.now());
    const tokens: Record<string, string> = {};
    for (const login of demoLogins) {
      const res = await t.call('POST', '/api/auth/login', { body: { phone: login.phone, password: login.password } });
      expect(res.status, `${login.phone}: ${res.text}`).toBe(200);
      tokens[login.phone] = res.json.token;
    }
    // Grade gates and discounts as each demo driver sees them: AAA, AA and B.
    const gated = ['高级驾驶员认证 Advanced driver certificate', '发动机大修 Engine overhaul', '快速检测通道 Fast-lane inspection'];
    const seen: Record<string, unknown[]> = {};
    for (const phone of ['13900000001', '13900000002', '13900000003']) {
      const catalog = await t.call('GET', '/api/offers?limit=100', { token: tokens[phone] });
      expect(catalog.json.items).toHaveLength(18);
      seen[phone] = gated.map((title) => {
        const o = catalog.json.items.find((i: { title: string }) => i.title === title);
        return [o.minGrade, o.qualifies, o.yourPrice];
      });
    }
    expect(seen).toEqual({
      '13900000001': [['AAA', true, '270.00'], ['AA', true, '360.00'], ['A', true, '40.50']],
      '13900000002': [['AAA', false, '285.00'], ['AA', true, '380.00'], ['A', true, '42.75']],
      '13900000003': [['AAA', false, '300.00'], ['AA', false, '400.00'], ['A', false, '45.00']],
    });
    // The catalog's offers (serialised once per price level, `affordable` filled in per read) say
    // exactly what the one-offer read says, for every grade and for someone with no wallet (the
    // offers test has a driver who cannot afford them all).
    for (const phone of ['13900000001', '13900000002', '13900000003', '13800000001']) {
      const catalog = await t.call('GET', '/api/offers?limit=100', { token: tokens[phone] });
      expect(catalog.headers.get('content-type')).toMatch(/^application\/json/);
      for (const item of catalog.json.items) {
        const one = await t.call('GET', `/api/offers/${item.id}`, { token: tokens[phone] });
        expect(item, `${phone}: ${item.title}`).toEqual(one.json);
      }
    }
    const mine = await t.call('GET', '/api/me/redemptions', { token: tokens['13900000001'] });
    expect(mine.json.items.map((r: { status: string }) => r.status).sort()).toEqual(['confirmed', 'held']);
    const queue = await t.call('GET', '/api/offers?status=pending_approval', { token: tokens['13800000001'] });
    expect(queue.json.items.map((o: { title: string }) => o.title)).toEqual(['变速箱检修 Gearbox service']);
    const statement = await t.call('GET', '/api/partner/statement', { token: tokens['13700000001'] });
    expect(statement.json).toMatchObject({ total: '162.00', count: 1 });
  });
});

describeEachBackend('market: drivers\' shop views, read together', (current) => {
  it('one query answers many drivers in the order asked (grade, available points, policy); drivers asking at once share queries', async () => {
    const t = testApp(current());
    await seedDemo(t.db, t.clock.now());
    const users = await queryRows<{ id: string; phone: string }>(t.db, sql`select id::text, phone from users where phone in ('13900000001', '13900000002', '13900000003', '13800000001')`);
    const id = Object.fromEntries(users.map((u) => [u.phone, u.id]));
    const ids = [id['13900000001']!, id['13900000002']!, id['13900000003']!, id['13800000001']!, id['13900000001']!];
    const views = await shopViewsOf(t.db, ids);
    expect(views.map((v) => v.grade)).toEqual(['AAA', 'AA', 'B', 'B', 'AAA']);
    // The committee member has no wallet; each driver's points are their wallet's available balance.
    expect(views[3]!.available).toBeNull();
    for (const [i, phone] of ['13900000001', '13900000002', '13900000003'].entries()) {
      const b = await balance(t.db, (await walletOf(t.db, id[phone]!))!);
      expect(views[i]!.available!.toFixed(2), phone).toBe(b.available.toFixed(2));
    }
    expect(views[0]!.benefits.AAA.priceDiscount.toFixed(2)).toBe('0.10');
    // Forty drivers' views asked at once: the same answers as asked alone.
    const many = Array.from({ length: 40 }, (_, i) => ids[i % ids.length]!);
    const together = await Promise.all(many.map((driverId) => shopViewOf(t.db, driverId)));
    expect(together.map((v) => [v.grade, v.available?.toFixed(2) ?? null])).toEqual(
      many.map((driverId) => {
        const v = views[ids.indexOf(driverId)]!;
        return [v.grade, v.available?.toFixed(2) ?? null];
      }),
    );
    expect(await shopViewsOf(t.db, [])).toEqual([]);
    // A policy the committee stores prices every view of a batch, not only the first.
    const generous: RatingPolicy = { ...DEFAULT_POLICY, benefits: { ...DEFAULT_POLICY.benefits, AAA: { earningMultiplier: '1.5', priceDiscount: '0.20' } } };
    const committee = (await queryRows<{ id: string }>(t.db, sql`select id::text from users where role = 'committee' limit 1`))[0]!;
    t.clock.advance(1000);
    await createPolicyVersion(t.db, t.clock, committee.id, { policy: generous });
    const after = await shopViewsOf(t.db, ids);
    expect(after.map((v) => v.benefits.AAA.priceDiscount.toFixed(2))).toEqual(['0.20', '0.20', '0.20', '0.20', '0.20']);
  });
});

describeEachBackend(
  'market: the demo seed, two processes at once',
  (current) => {
    const more = extraConnections(current);
    it('two seeds started together on separate connections create the demo once', async () => {
      const [a, b] = await more.pools(2, 1);
      const results = await Promise.all([seedDemo(a!.db, NOW), seedDemo(b!.db, NOW)]);
      expect(results.map((r) => r.created).sort()).toEqual([false, true]);
      expect(await counts(current().db)).toMatchObject({ users: '27', partners: '3', offers: '19', redemptions: '5' });
      await expectLedgerSound(current().db, NOW);
    });
  },
  { postgresOnly: true },
);
