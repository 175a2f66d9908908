// The demo seed: an empty database gets the demo programme once — partners of every kind with
// offers in every category, one offer awaiting approval, demo vouchers — and the ledger is sound.
// A second run, in turn or at the same moment, adds nothing. The demo logins still work.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows, type Db } from '../../db/client';
import { walletOf } from '../../api/ledger/accounts';
import { balance } from '../../api/ledger/reads';
import { demoLogins, seedDemo } from '../../api/seed';
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
    expect(first).toMatchObject({ users: '7', partners: '3', offers: '17', redemptions: '5' });

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

    const vouchers = await queryRows<{ phone: string; status: string; price: string; captured: string | null }>(
      db,
      sql`select u.phone, r.status, r.price::text as price, r.captured::text as captured
            from redemptions r join users u on u.id = r.driver_id order by u.phone, r.status, r.price`,
    );
    expect(vouchers).toEqual([
      { phone: '13900000001', status: 'confirmed', price: '180.00', captured: '180.00' },
      { phone: '13900000001', status: 'held', price: '40.00', captured: null },
      { phone: '13900000002', status: 'held', price: '20.00', captured: null },
      { phone: '13900000003', status: 'confirmed', price: '240.00', captured: '240.00' },
      { phone: '13900000003', status: 'held', price: '99.99', captured: null },
    ]);
    const wang = await queryRows<{ id: string }>(db, sql`select id::text from users where phone = '13900000001'`);
    const b = await balance(db, (await walletOf(db, wang[0]!.id))!);
    expect([b.posted.toFixed(2), b.held.toFixed(2), b.available.toFixed(2)]).toEqual(['140.00', '40.00', '100.00']);
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
    const catalog = await t.call('GET', '/api/offers?limit=100', { token: tokens['13900000001'] });
    expect(catalog.json.items).toHaveLength(16);
    expect(catalog.json.items.find((o: { title: string }) => o.title === '发动机大修 Engine overhaul')).toMatchObject({ minGrade: 'AA', qualifies: false });
    const mine = await t.call('GET', '/api/me/redemptions', { token: tokens['13900000001'] });
    expect(mine.json.items.map((r: { status: string }) => r.status).sort()).toEqual(['confirmed', 'held']);
    const queue = await t.call('GET', '/api/offers?status=pending_approval', { token: tokens['13800000001'] });
    expect(queue.json.items.map((o: { title: string }) => o.title)).toEqual(['变速箱检修 Gearbox service']);
    const statement = await t.call('GET', '/api/partner/statement', { token: tokens['13700000001'] });
    expect(statement.json).toMatchObject({ total: '180.00', count: 1 });
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
      expect(await counts(current().db)).toMatchObject({ users: '7', partners: '3', offers: '17', redemptions: '5' });
      await expectLedgerSound(current().db, NOW);
    });
  },
  { postgresOnly: true },
);
