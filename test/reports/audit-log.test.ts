// GET /api/audit-log: committee actions newest first with who did them, filters, pages that
// neither repeat nor skip, and problems for filters that cannot be.

import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { testApp, type TestApp } from '../support/app';
import { describeEachBackend } from '../support/backends';
import { expectProblem } from '../support/problems';
import { audit } from '../../api/audit/audit';

describeEachBackend('reports: audit log', (current) => {
  async function scene() {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const driver = await t.signedIn('driver');
    const partner = await t.call('POST', '/api/partners', { token: committee.token, body: { name: 'Shunda Garage', kind: 'garage', region: 'Baoan' } });
    expect(partner.status, partner.text).toBe(201);
    t.clock.advance(60_000);
    const award = await t.call('POST', '/api/ledger/adjustments', {
      token: committee.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { driverId: driver.id, amount: '25.00', reason: 'Helped at the convoy' },
    });
    expect(award.status, award.text).toBe(201);
    return { t, committee, driver, partnerId: partner.json.id as string };
  }

  const page = async (t: TestApp, token: string, query = '') => {
    const res = await t.call('GET', `/api/audit-log${query}`, { token });
    expect(res.status, res.text).toBe(200);
    return res.json as { items: any[]; nextCursor: string | null };
  };

  it('entries newest first, with the actor, the target and the state before and after', async () => {
    const { t, committee, driver, partnerId } = await scene();
    const { items, nextCursor } = await page(t, committee.token);
    expect(nextCursor).toBeNull();
    expect(items.map((e) => e.action)).toEqual(['ledger.adjust', 'partner.create']);
    expect(items[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: '2026-06-01T08:01:00.000Z',
      action: 'ledger.adjust',
      actor: { id: committee.id, name: `committee ${committee.phone}`, role: 'committee' },
      targetType: 'driver',
      targetId: driver.id,
      before: null,
      after: expect.objectContaining({ driverId: driver.id, amount: '25.00', reason: 'Helped at the convoy', transferId: expect.any(String) }),
    });
    expect(items[1]).toMatchObject({ action: 'partner.create', targetType: 'partner', targetId: partnerId, after: expect.objectContaining({ name: 'Shunda Garage', region: 'Baoan' }) });
  });

  it('filters: an action or its prefix, the actor, the target', async () => {
    const { t, committee, driver, partnerId } = await scene();
    const other = await t.signedIn('committee');
    await audit(t.db, { actorId: other.id, action: 'ledgers.odd', targetType: 'driver', targetId: driver.id, at: t.clock.now() });
    await audit(t.db, { actorId: null, action: 'partner_x.sync', targetType: 'partner', targetId: partnerId, at: t.clock.now() });
    await audit(t.db, { actorId: null, action: 'partnerzx.sync', targetType: 'thing', at: t.clock.now() });

    const actions = async (q: string) => (await page(t, committee.token, q)).items.map((e) => e.action);
    expect(await actions('?action=ledger')).toEqual(['ledger.adjust']);
    expect(await actions('?action=ledger.adjust')).toEqual(['ledger.adjust']);
    expect(await actions('?action=ledger.')).toEqual(['ledger.adjust']);
    expect(await actions('?action=partner')).toEqual(['partner.create']);
    // `_` is a letter here, not a LIKE wildcard
    expect(await actions('?action=partner_x')).toEqual(['partner_x.sync']);
    expect(await actions(`?actorId=${other.id}`)).toEqual(['ledgers.odd']);
    expect(await actions(`?targetType=driver&targetId=${driver.id}`)).toEqual(['ledgers.odd', 'ledger.adjust']);
    expect(await actions(`?targetType=partner`)).toEqual(['partner_x.sync', 'partner.create']);
    expect(await actions('?action=nothing.here')).toEqual([]);
    const system = (await page(t, committee.token, '?action=partner_x')).items[0];
    expect(system.actor).toBeNull();
  });

  it('pages follow the cursor to the end, each entry once, even within the same instant', async () => {
    const { t, committee } = await scene();
    for (let i = 0; i < 5; i++) await audit(t.db, { actorId: committee.id, action: 'test.same_time', targetType: 'thing', targetId: String(i), at: t.clock.now() });
    const whole = (await page(t, committee.token)).items.map((e) => e.id);
    expect(whole).toHaveLength(7);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p = await page(t, committee.token, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.items.length).toBeLessThanOrEqual(2);
      seen.push(...p.items.map((e) => e.id));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toEqual(whole);
  });

  it('bad filters and cursors are problems; the log is for the committee only', async () => {
    const { t, committee, driver } = await scene();
    const staffPartner = await t.call('POST', '/api/partners', { token: committee.token, body: { name: 'School', kind: 'training_school', region: 'Nanshan' } });
    const staff = await t.signedIn('partner_staff', { partnerId: staffPartner.json.id });
    expectProblem(await t.call('GET', '/api/audit-log?cursor=not-a-cursor', { token: committee.token }), 400, 'validation_failed');
    expectProblem(await t.call('GET', '/api/audit-log?actorId=42', { token: committee.token }), 400, 'validation_failed');
    expectProblem(await t.call('GET', '/api/audit-log?action=DROP%20TABLE', { token: committee.token }), 400, 'validation_failed');
    expectProblem(await t.call('GET', '/api/audit-log?limit=0', { token: committee.token }), 400, 'validation_failed');
    expectProblem(await t.call('GET', '/api/audit-log'), 401, 'unauthenticated');
    expectProblem(await t.call('GET', '/api/audit-log', { token: driver.token }), 403, 'forbidden');
    expectProblem(await t.call('GET', '/api/audit-log', { token: staff.token }), 403, 'forbidden');
  });
});
