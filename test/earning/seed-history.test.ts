// The demo seed's history (api/seed-history.ts): fourteen months of volunteering, grid reports,
// safety records, milestones, an instant award and an appeal for 23 drivers, in every state the
// committee and the drivers meet, all dated before "now", paid through the ledger (which stays
// sound), and graded so the three demo drivers are AAA, AA and B. A second seed adds nothing.

import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { findLikelyDuplicate } from '../../api/earning/grid-reports';
import { inspectImage } from '../../api/earning/photos';
import { demoLogins, seedDemo } from '../../api/seed';
import { extraDriverPhones } from '../../api/seed-history';
import { queryRows, type Db } from '../../db/client';
import type { GridCategory } from '../../db/schema/index';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { expectLedgerSound } from '../market/market-support';

const NOW = new Date('2026-06-01T08:00:00.000Z'); // testApp's clock starts here too
const DAY = 86_400_000;
const WANG = '13900000001';
const LI = '13900000002';
const ZHANG = '13900000003';

const password = (phone: string) => demoLogins.find((l) => l.phone === phone)!.password;

/** `key → value` from rows of [key, value], for whole-object comparisons. */
async function tally(db: Db, query: ReturnType<typeof sql>): Promise<Record<string, number>> {
  const rows = await queryRows<{ k: string; n: number }>(db, query);
  return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
}

const HISTORY_TABLES = [
  'users', 'ledger_accounts', 'ledger_transfers', 'ledger_postings', 'earnings', 'volunteer_claims', 'volunteer_imports',
  'grid_reports', 'grid_report_events', 'photos', 'safety_events', 'appeals', 'driver_ratings', 'rating_history',
  'rating_runs', 'notifications', 'audit_log', 'redemptions',
];

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const parts = HISTORY_TABLES.map((t) => `select '${t}' as k, count(*)::int as n from ${t}`).join(' union all ');
  return tally(db, sql.raw(parts));
}

/** The workflow each report went through, from its recorded steps. */
const PATHS: Record<string, string> = {
  submitted: 'submitted',
  verified: 'submitted>verified',
  forwarded: 'submitted>verified>forwarded',
  resolved: 'submitted>verified>forwarded>resolved',
  closed: 'submitted>verified>forwarded>resolved>closed',
  rejected: 'submitted>rejected',
  duplicate: 'submitted>duplicate',
};

describeEachBackend('earning: the demo seed history', (current) => {
  it('writes every state: claims, imports, reports through the whole workflow with a likely duplicate, safety records, milestones, an award, an open appeal', async () => {
    const db = current().db;
    expect((await seedDemo(db, NOW)).created).toBe(true);

    // Volunteering: the organisers' monthly attendance imports, and claims drivers filed themselves.
    expect(
      await tally(db, sql`select status || case when import_id is null then '' else '/imported' end as k, count(*)::int as n from volunteer_claims group by 1`),
    ).toEqual({ submitted: 4, rejected: 3, approved: 6, 'approved/imported': 120 });
    const rejected = await queryRows<{ reason: string | null; decided_by: string | null }>(db, sql`select reason, decided_by from volunteer_claims where status = 'rejected'`);
    for (const r of rejected) expect(r.reason?.length ?? 0, 'a rejection says why').toBeGreaterThan(20);
    const imports = await queryRows<{ status: string; total_rows: number; processed_rows: number; applied: number; errors: unknown }>(
      db,
      sql`select status, total_rows, processed_rows, applied, errors from volunteer_imports`,
    );
    expect(imports).toHaveLength(14);
    for (const i of imports) expect([i.status, i.processed_rows, i.applied, JSON.stringify(i.errors)]).toEqual(['done', i.total_rows, i.total_rows, '[]']);
    // Approval pays (once); a claim still waiting or refused has no earning.
    expect(
      await tally(db, sql`select c.status || '/' || (count(e.id) = count(*))::text as k, count(*)::int as n
                            from volunteer_claims c
                            left join earnings e on e.source = 'volunteering' and e.source_id = c.id::text
                           group by c.status, (e.id is not null) order by 1`),
    ).toEqual({ 'approved/true': 126, 'rejected/false': 3, 'submitted/false': 4 });

    // Grid reports in every workflow state, each with its steps recorded in order.
    expect(
      await tally(db, sql`select status || case when likely_duplicate_of is null then '' else '/flagged' end as k, count(*)::int as n from grid_reports group by 1`),
    ).toEqual({ closed: 31, resolved: 2, forwarded: 2, verified: 2, submitted: 3, 'submitted/flagged': 1, rejected: 1, 'duplicate/flagged': 1 });
    const trails = await queryRows<{ id: string; status: string; path: string; ordered: boolean; forwarded_to: string | null; paid: number }>(
      db,
      sql`select r.id::text, r.status,
                 string_agg(e.to_status, '>' order by e.created_at) as path,
                 bool_and(e.from_status is not distinct from e.prev) as ordered,
                 max(e.department) as forwarded_to,
                 (select count(*) from earnings x where x.source = 'grid_report' and x.source_id = r.id::text)::int as paid
            from grid_reports r
            join (select *, lag(to_status) over (partition by report_id order by created_at) as prev from grid_report_events) e on e.report_id = r.id
           group by r.id, r.status`,
    );
    expect(trails).toHaveLength(43);
    for (const t of trails) {
      expect(t.path, `report ${t.id}`).toBe(PATHS[t.status]);
      expect(t.ordered, `report ${t.id}: each step starts where the last ended`).toBe(true);
      const pastVerified = ['verified', 'forwarded', 'resolved', 'closed'].includes(t.status);
      expect(t.paid, `report ${t.id} (${t.status}) is paid only once verified`).toBe(pastVerified ? 1 : 0);
      expect(t.forwarded_to !== null, `report ${t.id}: forwarding names a department`).toBe(['forwarded', 'resolved', 'closed'].includes(t.status));
    }
    const categories = await queryRows<{ category: string }>(db, sql`select distinct category from grid_reports order by 1`);
    expect(categories.map((c) => c.category)).toEqual(['broken_manhole_cover', 'obstacle', 'other', 'pothole', 'road_collapse', 'sanitation', 'signal_fault']);
    // The flagged report is a real likely duplicate: an open report of its category within 50 m and 7 days.
    const [flagged] = await queryRows<{ id: string; category: GridCategory; lat: string; lng: string; created_at: string | Date; likely_duplicate_of: string }>(
      db,
      sql`select id::text, category, lat::text, lng::text, created_at, likely_duplicate_of::text from grid_reports where status = 'submitted' and likely_duplicate_of is not null`,
    );
    const near = await findLikelyDuplicate(db, { category: flagged!.category, lat: flagged!.lat, lng: flagged!.lng, at: new Date(flagged!.created_at), excludeId: flagged!.id });
    expect(near?.id).toBe(flagged!.likely_duplicate_of);
    expect(near!.distanceMeters).toBeLessThan(50);
    // Every report carries a real photo that passes the upload checks.
    const photos = await queryRows<{ mime: string; content: Uint8Array }>(db, sql`select p.mime, p.content from photos p join grid_reports r on r.photo_id = p.id`);
    expect(new Set(photos.map((p) => p.mime))).toEqual(new Set(['image/png', 'image/jpeg']));
    for (const p of photos) expect(inspectImage(new Uint8Array(p.content)).mime).toBe(p.mime);

    // Safety records: inspections, minor and major violations, at-fault accidents; nothing at all for some.
    expect(await tally(db, sql`select kind || coalesce('/' || severity, '') as k, count(*)::int as n from safety_events group by 1`)).toEqual({
      inspection_passed: 16,
      'violation/minor': 11,
      'violation/major': 2,
      'accident/at_fault_minor': 2,
    });
    const clean = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from users u where u.role = 'driver' and not exists (select 1 from safety_events s where s.driver_id = u.id)`,
    );
    expect(clean[0]!.n).toBe(7);
    // Milestones: every 30 days of a streak, and the 100-day challenge once per streak.
    const milestones = await tally(
      db,
      sql`select u.phone || '/' || e.source || '/' || count(distinct split_part(e.source_id, ':', 2))::text as k, count(*)::int as n
            from earnings e join users u on u.id = e.driver_id
           where e.source in ('safety_streak', 'safety_challenge') and u.phone in (${WANG}, ${ZHANG}, '13900000117', '13900000120')
           group by u.phone, e.source`,
    );
    expect(milestones).toMatchObject({
      [`${WANG}/safety_streak/1`]: 13, // one streak since a violation 400 days ago
      [`${WANG}/safety_challenge/1`]: 1,
      [`${ZHANG}/safety_challenge/2`]: 2, // a major violation 200 days ago started a second streak
      '13900000117/safety_challenge/1': 1, // joined 120 days ago, nothing since
    });
    expect(milestones['13900000117/safety_streak/1']).toBeGreaterThanOrEqual(3);
    expect(milestones['13900000120/safety_challenge/1'], 'joined 30 days ago: no challenge yet').toBeUndefined();

    // One instant award (audited) and one open appeal, Li's, against his recent violation.
    const awards = await queryRows<{ phone: string; points: string; audited: number }>(
      db,
      sql`select u.phone, e.points::text as points,
                 (select count(*) from audit_log a where a.action = 'earning.award' and a.target_id = e.driver_id::text)::int as audited
            from earnings e join users u on u.id = e.driver_id where e.source = 'award'`,
    );
    expect(awards).toEqual([{ phone: WANG, points: '100.00', audited: 1 }]);
    const appeals = await queryRows<{ phone: string; status: string; kind: string; severity: string; voided: boolean }>(
      db,
      sql`select u.phone, a.status, s.kind, s.severity, s.voided_at is not null as voided
            from appeals a join users u on u.id = a.driver_id join safety_events s on s.id = a.subject_id`,
    );
    expect(appeals).toEqual([{ phone: LI, status: 'open', kind: 'violation', severity: 'minor', voided: false }]);
  });

  it('dates everything within fourteen months before now, pays every point through a sound ledger, and a second seed adds nothing', async () => {
    const db = current().db;
    await seedDemo(db, NOW);
    const stamps = await queryRows<{ what: string; earliest: string | Date | null; latest: string | Date | null }>(
      db,
      sql`select what, min(at) as earliest, max(at) as latest from (
            select 'users' as what, created_at as at from users where role = 'driver'
            union all select 'claims', created_at from volunteer_claims union all select 'claim decisions', decided_at from volunteer_claims
            union all select 'imports', finished_at from volunteer_imports
            union all select 'reports', created_at from grid_reports union all select 'reports', updated_at from grid_reports
            union all select 'reports', verified_at from grid_reports union all select 'report steps', created_at from grid_report_events
            union all select 'photos', created_at from photos
            union all select 'safety', occurred_at from safety_events union all select 'safety', created_at from safety_events
            union all select 'earnings', created_at from earnings union all select 'earnings', activity_at from earnings
            union all select 'transfers', created_at from ledger_transfers union all select 'audit', created_at from audit_log
            union all select 'appeals', created_at from appeals union all select 'notices', created_at from notifications
            union all select 'ratings', rated_at from rating_history union all select 'ratings', as_of from rating_runs
          ) x where at is not null group by what order by what`,
    );
    expect(stamps.map((s) => s.what)).toEqual([
      'appeals', 'audit', 'claim decisions', 'claims', 'earnings', 'imports', 'notices', 'photos', 'ratings', 'report steps', 'reports', 'safety', 'transfers', 'users',
    ]);
    for (const s of stamps) {
      expect(new Date(s.latest!).getTime(), `${s.what}: nothing after now`).toBeLessThanOrEqual(NOW.getTime());
      expect(new Date(s.earliest!).getTime(), `${s.what}: nothing before the history starts`).toBeGreaterThan(NOW.getTime() - 430 * DAY);
    }
    // Only the vouchers and the last daily jobs happen now; the history is spread over the months before.
    const months = await queryRows<{ n: number }>(db, sql`select count(distinct date_trunc('month', created_at))::int as n from earnings`);
    expect(months[0]!.n).toBeGreaterThanOrEqual(14);

    // Every point earned is one ledger transfer from issuance of the same amount.
    const mismatched = await queryRows<{ id: string }>(
      db,
      sql`select e.id::text from earnings e left join ledger_transfers t on t.id = e.transfer_id
           where (e.points > 0) <> (t.id is not null) or t.amount <> e.points or t.code not like 'earn.%'`,
    );
    expect(mismatched).toEqual([]);
    const [sums] = await queryRows<{ earned: string; issued: string }>(
      db,
      sql`select (select sum(points) from earnings)::text as earned, (select sum(amount) from ledger_transfers where code like 'earn.%')::text as issued`,
    );
    expect(new Decimal(sums!.earned).eq(sums!.issued)).toBe(true);
    await expectLedgerSound(db, NOW);

    const before = await tableCounts(db);
    expect(before).toMatchObject({ users: 27, appeals: 1, volunteer_imports: 14, redemptions: 5 });
    expect(await seedDemo(db, new Date(NOW.getTime() + 7 * DAY))).toEqual({ created: false, logins: demoLogins });
    expect(await tableCounts(db)).toEqual(before);
  });

  it('grades the demo drivers AAA, AA and B, and the committee and drivers see it all through the API', async () => {
    const t = testApp(current());
    await seedDemo(t.db, t.clock.now());
    expect(await tally(t.db, sql`select u.phone as k, case r.grade when 'AAA' then 3 when 'AA' then 2 when 'A' then 1 else 0 end as n
                                   from driver_ratings r join users u on u.id = r.driver_id where u.phone in (${WANG}, ${LI}, ${ZHANG})`)).toEqual({
      [WANG]: 3,
      [LI]: 2,
      [ZHANG]: 0,
    });
    const grades = await tally(t.db, sql`select grade as k, count(*)::int as n from driver_ratings group by grade`);
    expect(Object.keys(grades).sort()).toEqual(['A', 'AA', 'AAA', 'B']);
    expect(Object.values(grades).reduce((a, b) => a + b)).toBe(3 + extraDriverPhones.length);
    // Earnings carry the grade of their day: the monthly re-grades wired the multipliers in.
    const multipliers = await tally(t.db, sql`select coalesce(grade, 'none') || ' x' || multiplier::text as k, count(*)::int as n from earnings group by 1`);
    expect(multipliers['AAA x1.200']).toBeGreaterThan(0);
    expect(multipliers['AA x1.100']).toBeGreaterThan(0);

    const login = async (phone: string, pass = password(phone)) => {
      const res = await t.call('POST', '/api/auth/login', { body: { phone, password: pass } });
      expect(res.status, res.text).toBe(200);
      return res.json.token as string;
    };
    const rating = async (phone: string) => {
      const res = await t.call('GET', '/api/me/rating', { token: await login(phone) });
      expect(res.status, res.text).toBe(200);
      return res.json;
    };
    const wang = await rating(WANG);
    expect([wang.grade, wang.next, wang.breakdown.safety.points, wang.breakdown.volunteering.points]).toEqual(['AAA', null, '50.00', '30.00']);
    expect(wang.breakdown.streak.days).toBeGreaterThanOrEqual(399);
    expect(wang.history.length).toBeGreaterThanOrEqual(2);
    for (const h of wang.history) expect(new Date(h.at).getTime()).toBeLessThanOrEqual(NOW.getTime());
    const li = await rating(LI);
    expect([li.grade, li.next?.grade]).toEqual(['AA', 'AAA']);
    expect(li.next.steps.map((s: { kind: string }) => s.kind)).toContain('minStreakDays');
    const zhang = await rating(ZHANG);
    expect(zhang.grade).toBe('B');
    expect(zhang.breakdown.safety.deductions.map((d: { event: string; count: number }) => `${d.event}:${d.count}`).sort()).toEqual(
      expect.arrayContaining(['at_fault_accident:1', 'major_violation:1']),
    );
    const wallet = await t.call('GET', '/api/me/wallet', { token: await login(ZHANG) });
    expect(new Decimal(wallet.json.available).gt(1000), 'B, yet the most points: a grade is not bought').toBe(true);

    // The committee's queues are not empty.
    const committee = await login('13800000001');
    const claims = await t.call('GET', '/api/volunteering', { token: committee });
    expect(claims.json.items.map((c: { status: string }) => c.status)).toEqual(['submitted', 'submitted', 'submitted', 'submitted']);
    const reports = await t.call('GET', '/api/grid-reports', { token: committee });
    expect(reports.json.items).toHaveLength(4);
    expect(reports.json.items.filter((r: { likelyDuplicateOf: string | null }) => r.likelyDuplicateOf)).toHaveLength(1);
    const appeals = await t.call('GET', '/api/appeals', { token: committee });
    expect(appeals.json.items.map((a: { status: string; subjectType: string }) => `${a.status}:${a.subjectType}`)).toEqual(['open:safety_event']);
    // An extra driver exists for the numbers only: no known password signs them in.
    const extra = await t.call('POST', '/api/auth/login', { body: { phone: extraDriverPhones[0], password: password(WANG) } });
    expect(extra.status).toBe(401);
  });

  it('upholding the open appeal voids the violation and lifts Li from AA to AAA', async () => {
    const t = testApp(current());
    await seedDemo(t.db, t.clock.now());
    const login = async (phone: string) => (await t.call('POST', '/api/auth/login', { body: { phone, password: password(phone) } })).json.token as string;
    const committee = await login('13800000001');
    const [appeal] = (await t.call('GET', '/api/appeals', { token: committee })).json.items;
    const decided = await t.call('POST', `/api/appeals/${appeal.id}/decide`, {
      token: committee,
      body: { decision: 'upheld', note: 'The camera photo shows a different plate.' },
    });
    expect(decided.status, decided.text).toBe(200);
    const li = await t.call('GET', '/api/me/rating', { token: await login(LI) });
    expect([li.json.grade, li.json.breakdown.safety.points]).toEqual(['AAA', '50.00']);
    expect(li.json.breakdown.streak.days).toBeGreaterThanOrEqual(100);
    await expectLedgerSound(t.db, t.clock.now());
  });
});
