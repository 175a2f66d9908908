// Grid reports, the paths that work: filing with a real photo (served back byte for byte), the
// likely-duplicate flag at its exact edges (50 m, 7 days), the whole workflow with its history,
// audit and payment, the monthly cap, the committee queue with cursor pages, and the appeal hook.

import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { auditLog, earnings } from '../../db/schema/index';
import { payGridReport } from '../../api/earning/grid-reports';
import { describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';
import { expectProblem } from '../support/problems';
import { pinMultipliersToOne } from './earning-support';
import { jpeg, png, webp } from './photos-fixtures';
import { distance, east, filed, getBytes, HERE, north, storedCounts, transition } from './grid-reports-support';

const DAY = 86_400_000;

async function walletOf(t: TestApp, token: string) {
  const res = await t.call('GET', '/api/me/wallet', { token });
  expect(res.status, res.text).toBe(200);
  return res.json.available as string;
}

describeEachBackend('grid reports: happy paths', (current) => {
  it.each([
    ['PNG', 'image/png', png({ width: 4, height: 3 })],
    ['JPEG', 'image/jpeg', jpeg()],
    ['WebP', 'image/webp', webp()],
  ])('a driver files a report with a real %s; the photo is served back byte-identical with safe headers', async (_kind, mime, bytes) => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const before = await storedCounts(t.db);
    // the declared type and name are deliberately wrong: only the bytes count
    const report = await filed(t, driver.token, { category: 'broken_manhole_cover', note: ' Cover missing, lane 2 ', photo: { bytes, name: 'IMG_0001.bin', type: 'application/octet-stream' } });
    expect(report).toMatchObject({
      driverId: driver.id,
      lat: 22.543096,
      lng: 114.057865,
      category: 'broken_manhole_cover',
      note: 'Cover missing, lane 2',
      status: 'submitted',
      department: null,
      likelyDuplicateOf: null,
      duplicateOf: null,
      verifiedAt: null,
      createdAt: '2026-06-01T08:00:00.000Z',
      photoUrl: `/api/photos/${report.photoId}`,
    });
    expect(await storedCounts(t.db)).toEqual({ ...before, photos: before.photos + 1, reports: before.reports + 1, events: before.events + 1 });

    const photo = await getBytes(t, report.photoUrl, driver.token);
    expect(photo.status).toBe(200);
    expect(Buffer.from(photo.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(photo.headers.get('content-type')).toBe(mime);
    expect(photo.headers.get('x-content-type-options')).toBe('nosniff');
    expect(photo.headers.get('content-security-policy')).toMatch(/^sandbox\b/);
    expect(photo.headers.get('cache-control')).toMatch(/private/);
    const etag = photo.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await getBytes(t, report.photoUrl, driver.token, { 'if-none-match': etag });
    expect([again.status, again.bytes.length]).toEqual([304, 0]);

    const committee = await t.signedIn('committee');
    const seen = await getBytes(t, report.photoUrl, committee.token);
    expect(Buffer.from(seen.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('coordinates are kept to 6 decimal places; the poles and the antimeridian are valid places', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const a = await filed(t, driver.token, { lat: '22.5430964', lng: '+114.0578656' });
    expect([a.lat, a.lng]).toEqual([22.543096, 114.057866]);
    const b = await filed(t, driver.token, { lat: '-90', lng: '180' });
    expect([b.lat, b.lng]).toEqual([-90, 180]);
  });

  it('a report of the same category 49 m from an open one is flagged; 51 m away or another category is not', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    // every probe gets its own original, 10 km from the others, so probes never flag each other
    const probe = async (i: number, move: typeof north, meters: number, category = 'pothole') => {
      const origin = north(HERE, 10_000 * i);
      const original = await filed(t, driver.token, origin);
      const near = move(origin, meters);
      const d = distance(origin, near); // the test's own ruler, after rounding to 6 decimals
      expect(Math.abs(d - meters)).toBeLessThan(0.5);
      const flagged = (await filed(t, driver.token, { ...near, category })).likelyDuplicateOf;
      return flagged === original.id ? 'flagged' : flagged === null ? 'not flagged' : `flagged as ${flagged}`;
    };
    expect(await probe(1, north, 49)).toBe('flagged');
    expect(await probe(2, north, 51)).toBe('not flagged');
    expect(await probe(3, east, 49)).toBe('flagged');
    expect(await probe(4, east, 51)).toBe('not flagged');
    expect(await probe(5, north, 10, 'obstacle')).toBe('not flagged');

    // the verifier sees the hint, with the distance
    const committee = await t.signedIn('committee');
    const first = await filed(t, driver.token, north(HERE, 60_000));
    const second = await filed(t, driver.token, north(HERE, 60_030));
    expect(second.likelyDuplicateOf).toBe(first.id);
    const detail = await t.call('GET', `/api/grid-reports/${second.id}`, { token: committee.token });
    expect(detail.json.duplicateHint).toMatchObject({ id: first.id, status: 'submitted' });
    expect(detail.json.duplicateHint.distanceMeters).toBeGreaterThan(29.5);
    expect(detail.json.duplicateHint.distanceMeters).toBeLessThan(30.5);
  });

  it('the flag reaches back 7 days exactly, not 8; verified and forwarded reports count as open, rejected and resolved ones do not', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const committee = await t.signedIn('committee');
    const start = t.clock.now().getTime();
    const place = (i: number) => north(HERE, 10_000 * i);
    const originals: Record<string, string> = {};
    for (const [i, name] of ['day7', 'day8', 'verified', 'forwarded', 'rejected', 'resolved'].entries()) {
      originals[name] = (await filed(t, driver.token, place(i))).id;
    }
    const step = async (id: string, ...steps: Array<Record<string, string>>) => {
      for (const body of steps) expect((await transition(t, committee.token, id, body)).status).toBe(200);
    };
    await step(originals.verified!, { to: 'verified' });
    await step(originals.forwarded!, { to: 'verified' }, { to: 'forwarded', department: 'Futian roads' });
    await step(originals.rejected!, { to: 'rejected', reason: 'not a road defect' });
    await step(originals.resolved!, { to: 'verified' }, { to: 'forwarded', department: 'Futian roads' }, { to: 'resolved' });

    const flagOf = async (i: number) => (await filed(t, driver.token, north(place(i), 10))).likelyDuplicateOf;
    t.clock.set(new Date(start + 7 * DAY));
    expect(await flagOf(0)).toBe(originals.day7);
    t.clock.set(new Date(start + 8 * DAY));
    expect(await flagOf(1)).toBeNull();
    t.clock.set(new Date(start + DAY));
    expect(await flagOf(2)).toBe(originals.verified);
    expect(await flagOf(3)).toBe(originals.forwarded);
    expect(await flagOf(4)).toBeNull();
    expect(await flagOf(5)).toBeNull();
  });

  it('the whole workflow: verified (pays 10 for a road collapse) → forwarded → resolved → closed, each step in the history and the audit log', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const committee = await t.signedIn('committee');
    const report = await filed(t, driver.token, { category: 'road_collapse', note: 'Half the lane has sunk' });
    expect(await walletOf(t, driver.token)).toBe('0.00');

    const verified = await transition(t, committee.token, report.id, { to: 'verified', note: 'Photo is clear' });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.json).toMatchObject({ status: 'verified', verifiedAt: t.clock.now().toISOString(), payment: { points: '10.00' } });
    expect(await walletOf(t, driver.token)).toBe('10.00');

    t.clock.advance(3_600_000);
    const forwarded = await transition(t, committee.token, report.id, { to: 'forwarded', department: 'Futian road maintenance' });
    expect(forwarded.json).toMatchObject({ status: 'forwarded', department: 'Futian road maintenance' });
    t.clock.advance(2 * DAY);
    expect((await transition(t, committee.token, report.id, { to: 'resolved', note: 'Patched' })).json.status).toBe('resolved');
    t.clock.advance(DAY);
    const closed = await transition(t, committee.token, report.id, { to: 'closed' });
    expect(closed.json.status).toBe('closed');

    const detail = await t.call('GET', `/api/grid-reports/${report.id}`, { token: driver.token });
    expect(detail.status).toBe(200);
    expect(detail.json.history.map((h: any) => [h.from, h.to, h.actor.id, h.department, h.note, h.at])).toEqual([
      [null, 'submitted', driver.id, null, null, '2026-06-01T08:00:00.000Z'],
      ['submitted', 'verified', committee.id, null, 'Photo is clear', '2026-06-01T08:00:00.000Z'],
      ['verified', 'forwarded', committee.id, 'Futian road maintenance', null, '2026-06-01T09:00:00.000Z'],
      ['forwarded', 'resolved', committee.id, null, 'Patched', '2026-06-03T09:00:00.000Z'],
      ['resolved', 'closed', committee.id, null, null, '2026-06-04T09:00:00.000Z'],
    ]);
    expect(detail.json.payment).toMatchObject({ points: '10.00' });

    const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.targetType, 'grid_report'), eq(auditLog.targetId, report.id)));
    expect(audits.map((a) => [a.action, a.actorId, (a.before as any).status, (a.after as any).status]).sort()).toEqual(
      [
        ['grid_report.closed', committee.id, 'resolved', 'closed'],
        ['grid_report.forwarded', committee.id, 'verified', 'forwarded'],
        ['grid_report.resolved', committee.id, 'forwarded', 'resolved'],
        ['grid_report.verified', committee.id, 'submitted', 'verified'],
      ].sort(),
    );
    const verifyAudit = audits.find((a) => a.action === 'grid_report.verified')!;
    expect((verifyAudit.after as any).earning.points).toBe('10.00');

    // the earning names the report, its time and the rule version that paid it
    const [earning] = await t.db.select().from(earnings).where(and(eq(earnings.source, 'grid_report'), eq(earnings.sourceId, report.id)));
    expect(earning).toMatchObject({ driverId: driver.id, units: '1.00', ruleVersionId: '00000000-0000-4000-8000-000000000202' });
    expect(earning!.activityAt.toISOString()).toBe(report.createdAt);

    // closed is final
    expectProblem(await transition(t, committee.token, report.id, { to: 'verified' }), 409, 'report_transition_invalid');
  });

  it('rejected (with its reason) and duplicate (of the flagged report) are final and pay nothing', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const committee = await t.signedIn('committee');
    const original = await filed(t, driver.token);
    const copy = await filed(t, driver.token, north(HERE, 5));
    const other = await filed(t, driver.token, north(HERE, 3000));
    expect(copy.likelyDuplicateOf).toBe(original.id);

    const dup = await transition(t, committee.token, copy.id, { to: 'duplicate' });
    expect(dup.json).toMatchObject({ status: 'duplicate', duplicateOf: original.id, payment: null });
    const rejected = await transition(t, committee.token, other.id, { to: 'rejected', reason: 'The photo shows no defect' });
    expect(rejected.json).toMatchObject({ status: 'rejected', payment: null });
    expect(rejected.json.history.at(-1)).toMatchObject({ from: 'submitted', to: 'rejected', note: 'The photo shows no defect' });
    expect(await walletOf(t, driver.token)).toBe('0.00');
    expectProblem(await transition(t, committee.token, other.id, { to: 'verified' }), 409, 'report_transition_invalid');
    expectProblem(await transition(t, committee.token, copy.id, { to: 'rejected', reason: 'changed my mind' }), 409, 'report_transition_invalid');
  });

  it('the monthly cap: 30 verified reports pay 5 each, the 31st pays 0.00; next month pays again', async () => {
    const t = testApp(current(), { session: { ttlHours: 24 * 90, cookieSecure: false } });
    await pinMultipliersToOne(t.db, 'grid_report'); // 30 verified reports lift the driver to AA
    const driver = await t.signedIn('driver');
    const committee = await t.signedIn('committee');
    const ids: string[] = [];
    for (let i = 0; i < 31; i++) ids.push((await filed(t, driver.token, north(HERE, 100 * i))).id);
    for (const id of ids) expect((await transition(t, committee.token, id, { to: 'verified' })).status).toBe(200);
    expect(await walletOf(t, driver.token)).toBe('150.00');
    const last = await t.call('GET', `/api/grid-reports/${ids[30]}`, { token: driver.token });
    expect(last.json).toMatchObject({ status: 'verified', payment: { points: '0.00' } });

    t.clock.set('2026-07-01T08:00:00.000Z');
    const july = await filed(t, driver.token, north(HERE, 99_000));
    expect((await transition(t, committee.token, july.id, { to: 'verified' })).json.payment.points).toBe('5.00');
    expect(await walletOf(t, driver.token)).toBe('155.00');
  });

  it('the committee queue: submitted oldest first by default, filters, and cursor pages that neither skip nor repeat', async () => {
    const t = testApp(current());
    const a = await t.signedIn('driver');
    const b = await t.signedIn('driver');
    const committee = await t.signedIn('committee');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await filed(t, i % 2 ? b.token : a.token, { ...north(HERE, 200 * i), category: i === 4 ? 'sanitation' : 'pothole' })).id);
      t.clock.advance(60_000);
    }
    await transition(t, committee.token, ids[1]!, { to: 'verified' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.call('GET', `/api/grid-reports?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: committee.token });
      expect(res.status, res.text).toBe(200);
      seen.push(...res.json.items.map((r: any) => r.id));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids[0], ids[2], ids[3], ids[4]]);

    const verified = await t.call('GET', '/api/grid-reports?status=verified', { token: committee.token });
    expect(verified.json.items.map((r: any) => r.id)).toEqual([ids[1]]);
    const sanitation = await t.call('GET', '/api/grid-reports?status=all&category=sanitation', { token: committee.token });
    expect(sanitation.json.items.map((r: any) => r.id)).toEqual([ids[4]]);
    const ofB = await t.call('GET', `/api/grid-reports?status=all&driverId=${b.id}`, { token: committee.token });
    expect(ofB.json.items.map((r: any) => r.id)).toEqual([ids[1], ids[3]]);

    // a driver's own list: newest first, every status
    const mine = await t.call('GET', '/api/grid-reports', { token: a.token });
    expect(mine.json.items.map((r: any) => r.id)).toEqual([ids[4], ids[2], ids[0]]);
  });

  it('payGridReport (an upheld appeal) verifies and pays a rejected report once, however often it is called', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const committee = await t.signedIn('committee');
    const report = await filed(t, driver.token, { category: 'broken_manhole_cover' });
    await transition(t, committee.token, report.id, { to: 'rejected', reason: 'looked fine to me' });

    const first = await t.db.transaction((tx) => payGridReport(tx, t.clock, report.id, committee.id));
    expect(first.changed).toBe(true);
    expect(first.report.status).toBe('verified');
    expect(first.earning?.paid && first.earning.earning.points.toFixed(2)).toBe('10.00');
    const second = await t.db.transaction((tx) => payGridReport(tx, t.clock, report.id, committee.id));
    expect(second.changed).toBe(false);
    expect(second.earning?.paid && [second.earning.replayed, second.earning.earning.id]).toEqual([true, first.earning?.earning?.id]);
    expect(await walletOf(t, driver.token)).toBe('10.00');

    const detail = await t.call('GET', `/api/grid-reports/${report.id}`, { token: driver.token });
    expect(detail.json.history.map((h: any) => `${h.from}->${h.to}`)).toEqual(['null->submitted', 'submitted->rejected', 'rejected->verified']);
    const rows = await queryRows<{ action: string }>(t.db, sql`select action from audit_log where target_id = ${report.id} order by id`);
    expect(rows.map((r) => r.action)).toEqual(['grid_report.rejected', 'grid_report.verified_on_appeal']);

    // still awaiting a decision: not for appeals
    const fresh = await filed(t, driver.token, north(HERE, 800));
    await expect(t.db.transaction((tx) => payGridReport(tx, t.clock, fresh.id, committee.id))).rejects.toMatchObject({ code: 'report_transition_invalid' });
  });
});
