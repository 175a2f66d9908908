// GET /api/drivers/{id} and /api/drivers/{id}/statement: what the committee sees of one driver —
// wallet, grade, the latest activities of each kind, and the statement the driver sees.

import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends';
import { expectProblem } from '../support/problems';
import { ledgerSoundAfterEach, marketScene } from '../market/market-support';
import { addHours, addReport, addSafety } from '../rating/rating-support';

describeEachBackend('drivers: profile and statement', (current) => {
  ledgerSoundAfterEach(current);

  async function scene() {
    const m = await marketScene(current());
    const garage = await m.addPartner({ name: 'Shunda Garage', region: 'Baoan' });
    const offer = await m.activeOffer(garage.staff.token, { category: 'repair', title: 'Brake service', price: '100.00' });
    const driver = await m.addDriver('300.00', { name: 'Alice Chen', plateNumber: '粤B·A1001' });
    const award = await m.call('POST', '/api/awards', {
      token: m.committee.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { driverId: driver.id, points: '50.00', reason: 'Cleared the G4 at night' },
    });
    expect(award.status, award.text).toBe(201);
    m.clock.advance(60_000);
    const used = await m.voucher(driver.token, offer.id);
    expect((await m.confirm(garage.staff.token, used.code)).status).toBe(200);
    m.clock.advance(60_000);
    const open = await m.voucher(driver.token, offer.id);
    return { m, driver, offer, used, open, award: award.json };
  }

  it('profile, wallet (available, held, lifetime), stored grade and latest activities of each kind', async () => {
    const { m, driver, used, open, award } = await scene();
    await addHours(m.db, driver.id, '3.5', '2026-05-20', 'approved');
    await addReport(m.db, driver.id, 'verified', new Date('2026-05-21T02:00:00Z'));
    await addSafety(m.db, driver.id, 'minor', new Date('2026-05-22T02:00:00Z'), { voidedAt: new Date('2026-05-25T02:00:00Z') });

    const res = await m.call('GET', `/api/drivers/${driver.id}`, { token: m.committee.token });
    expect(res.status, res.text).toBe(200);
    const p = res.json;
    expect(p).toMatchObject({ id: driver.id, name: 'Alice Chen', phone: driver.phone, plateNumber: '粤B·A1001', joinedAt: expect.any(String), rating: null });
    // 300 funded + 50 awarded, 100 spent, 100 held
    expect(p.wallet).toEqual({ accountId: driver.wallet, available: '150.00', held: '100.00', posted: '250.00', lifetimeEarned: '350.00' });
    expect(p.activities.volunteering).toEqual([
      { id: expect.any(String), event: 'Convoy', activityDate: '2026-05-20', hours: '3.50', status: 'approved', createdAt: expect.any(String) },
    ]);
    expect(p.activities.gridReports).toEqual([
      { id: expect.any(String), category: 'pothole', status: 'verified', createdAt: expect.any(String), verifiedAt: '2026-05-21T02:00:00.000Z' },
    ]);
    expect(p.activities.safetyEvents).toEqual([
      { id: expect.any(String), kind: 'violation', severity: 'minor', occurredAt: '2026-05-22T02:00:00.000Z', voided: true },
    ]);
    expect(p.activities.earnings).toEqual([
      { id: award.earningId, source: 'award', points: award.points, reason: 'Cleared the G4 at night', activityAt: award.createdAt, createdAt: award.createdAt },
    ]);
    expect(p.activities.redemptions.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [open.id, 'held'],
      [used.id, 'confirmed'],
    ]);
    expect(p.activities.redemptions[1]).toMatchObject({ offerTitle: 'Brake service', category: 'repair', partnerName: 'Shunda Garage', price: '100.00', captured: '100.00' });

    expect((await m.call('GET', `/api/drivers/${driver.id}/rating`, { token: m.committee.token })).status).toBe(200);
    const graded = await m.call('GET', `/api/drivers/${driver.id}`, { token: m.committee.token });
    expect(graded.json.rating).toMatchObject({ grade: expect.stringMatching(/^(AAA|AA|A|B)$/), score: expect.stringMatching(/^\d+\.\d{2}$/) });
  });

  it('the statement is the one the driver sees, with the running balance, page by page', async () => {
    const { m, driver } = await scene();
    const mine = await m.call('GET', '/api/me/statement', { token: driver.token });
    const theirs = await m.call('GET', `/api/drivers/${driver.id}/statement`, { token: m.committee.token });
    expect(theirs.status, theirs.text).toBe(200);
    expect(theirs.json).toEqual(mine.json);
    expect(theirs.json.lines[0]).toMatchObject({ code: 'redeem', type: 'pending', amount: '-100.00', pending: true });
    expect(theirs.json.lines.find((l: { code: string }) => l.code === 'earn.award')).toMatchObject({ amount: '50.00', balanceAfter: '350.00' });

    const lines: unknown[] = [];
    let cursor: string | null = null;
    do {
      const p: { json: { lines: unknown[]; nextCursor: string | null } } = await m.call('GET', `/api/drivers/${driver.id}/statement?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: m.committee.token });
      lines.push(...p.json.lines);
      cursor = p.json.nextCursor;
    } while (cursor);
    expect(lines).toEqual(theirs.json.lines);
  });

  it('an unknown driver, or someone who is not a driver, is a 404; a malformed id a 400; committee only', async () => {
    const { m, driver } = await scene();
    for (const path of ['', '/statement']) {
      expectProblem(await m.call('GET', `/api/drivers/${randomUUID()}${path}`, { token: m.committee.token }), 404, 'not_found');
      expectProblem(await m.call('GET', `/api/drivers/${m.committee.id}${path}`, { token: m.committee.token }), 404, 'not_found');
      expectProblem(await m.call('GET', `/api/drivers/not-a-uuid${path}`, { token: m.committee.token }), 400, 'validation_failed');
      expectProblem(await m.call('GET', `/api/drivers/${driver.id}${path}`), 401, 'unauthenticated');
      expectProblem(await m.call('GET', `/api/drivers/${driver.id}${path}`, { token: driver.token }), 403, 'forbidden');
    }
    expectProblem(await m.call('GET', `/api/drivers/${driver.id}/statement?cursor=nope`, { token: m.committee.token }), 400, 'validation_failed');
  });
});
