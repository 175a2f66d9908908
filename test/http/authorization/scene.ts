// The world the authorization matrix probes (not a test file itself): two drivers and two
// partners who each own real things, a committee member and an integration, made through the API
// the way clients make them, so that every id in a probe belongs to someone.

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { queryOne, queryRows, type DbHandle } from '../../../db/client';
import { createSession } from '../../../api/auth/sessions';
import { notify } from '../../../api/earning/inbox';
import { startImport } from '../../../api/earning/volunteering.import';
import { filed } from '../../earning/grid-reports-support';
import { marketScene } from '../../market/market-support';
import type { Actor } from './matrix';

export const CLAIM_DATE = '2026-05-30';

export async function authorizationScene(handle: DbHandle) {
  const m = await marketScene(handle);
  const { committee } = m;
  const integration = await m.signedIn('integration');
  const p1 = await m.addPartner({ name: 'P1 顺达汽修 Garage', region: 'Baoan' });
  const p2 = await m.addPartner({ name: 'P2 驾校 School', kind: 'training_school', region: 'Futian' });
  // named, so that a name shown to a partner's desk does not carry the phone number
  const driverA = await m.addDriver('5000.00', { name: '王建国 Driver A', plateNumber: '粤B·A0001' });
  const driverB = await m.addDriver('5000.00', { name: '李小龙 Driver B', plateNumber: '粤B·B0002' });

  const offerInput = { stock: 1000, perDriverLimit: 1000, limitPeriod: 'ever' as const, price: '10.00' };
  const p1Offer = await m.activeOffer(p1.staff.token, offerInput);
  const p2Offer = await m.activeOffer(p2.staff.token, offerInput);
  const p1Pending = await m.propose(p1.staff.token, { ...offerInput, title: 'P1 pending offer' });
  await m.propose(p2.staff.token, { ...offerInput, title: 'P2 pending offer' });

  const ok = (res: { status: number; text: string }, status = 201) => expect(res.status, res.text).toBe(status);

  /** A voucher of `driver` for `offer`, held. */
  const voucher = (driver: { token: string }, offer: { id: string }) => m.voucher(driver.token, offer.id);

  async function claim(driver: { token: string }): Promise<string> {
    const res = await m.call('POST', '/api/volunteering', {
      token: driver.token,
      body: { event: `Exam convoy ${randomUUID().slice(0, 8)}`, date: CLAIM_DATE, hours: '2', organiser: 'Baoan Transport Association' },
    });
    ok(res);
    return res.json.id;
  }

  async function rejectedClaim(driver: { token: string }): Promise<string> {
    const id = await claim(driver);
    ok(await m.call('POST', `/api/volunteering/${id}/reject`, { token: committee.token, body: { reason: 'no record of the event' } }), 200);
    return id;
  }

  async function appeal(driver: { token: string }): Promise<string> {
    const subjectId = await rejectedClaim(driver);
    const res = await m.call('POST', '/api/appeals', {
      token: driver.token,
      body: { subjectType: 'volunteer_claim', subjectId, reason: 'I was there; the organiser can confirm it.' },
    });
    ok(res);
    return res.json.id;
  }

  async function safetyEvent(driverId: string): Promise<string> {
    const externalId = `matrix-${randomUUID()}`;
    const res = await m.call('POST', '/api/safety-events', {
      token: committee.token,
      body: { events: [{ externalId, driverId, kind: 'inspection_passed', occurredAt: '2026-05-31T08:00:00Z' }] },
    });
    ok(res);
    return (await queryOne<{ id: string }>(m.db, sql`select id from safety_events where external_id = ${externalId}`))!.id;
  }

  async function inboxItem(userId: string): Promise<string> {
    const n = await notify(m.db, { userId, kind: 'claim_decided', title: 'Claim decided', body: 'matrix fixture', at: m.clock.now() });
    return n!.id;
  }

  /** Everything one driver owns: a confirmed and a held voucher at `partner`, a claim, a report … */
  async function holdings(driver: typeof driverA, offer: { id: string }, staffToken: string) {
    const confirmed = await voucher(driver, offer);
    ok(await m.confirm(staffToken, confirmed.code), 200);
    const held = await voucher(driver, offer);
    const report = await filed(m, driver.token);
    return {
      confirmed,
      held,
      claimId: await claim(driver),
      appealId: await appeal(driver),
      report,
      safetyEventId: await safetyEvent(driver.id),
      notificationId: await inboxItem(driver.id),
    };
  }

  const a = await holdings(driverA, p1Offer, p1.staff.token);
  const b = await holdings(driverB, p2Offer, p2.staff.token);

  // Imported through the service so that its background work (payments, re-grades) is over
  // before any probe; the probe uploads the same file again, whose rows are then all skipped.
  const attendance = `phone,event,date,hours,organiser\n${driverA.phone},Exam convoy,2026-05-20,2,Baoan Transport Association\n`;
  const started = await startImport(m.db, m.clock, { fileName: 'matrix.csv', content: new TextEncoder().encode(attendance), uploadedBy: committee.id });
  expect((await started.done)?.status).toBe('done');

  const rules = await queryRows<{ id: string; activity: string }>(m.db, sql`select id, activity from reward_rules`);
  const policies = await m.call('GET', '/api/rating-policies', { token: committee.token });
  ok(policies, 200);

  const tokens: Record<Exclude<Actor, 'anonymous'>, string> = {
    driver: driverA.token,
    otherDriver: driverB.token,
    staff: p1.staff.token,
    otherStaff: p2.staff.token,
    committee: committee.token,
    integration: integration.token,
  };
  const userIds: Record<Exclude<Actor, 'anonymous'>, string> = {
    driver: driverA.id,
    otherDriver: driverB.id,
    staff: p1.staff.id,
    otherStaff: p2.staff.id,
    committee: committee.id,
    integration: integration.id,
  };

  /** Waits until no attendance import is still being processed in the background. */
  async function importsSettled(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const row = await queryOne<{ n: string }>(m.db, sql`select count(*)::text as n from volunteer_imports where status = 'processing'`);
      if (row!.n === '0') return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('an attendance import is still processing after 5 s');
  }

  /** A session of its own for `actor`, for the probes that end the session they are sent with. */
  async function throwawayToken(actor: Actor): Promise<string | undefined> {
    if (actor === 'anonymous') return undefined;
    return (await createSession(m.db, userIds[actor], m.clock.now(), m.config.session.ttlHours)).token;
  }

  return {
    ...m,
    integration,
    p1: { ...p1, activeOffer: p1Offer, pendingOffer: p1Pending },
    p2: { ...p2, activeOffer: p2Offer },
    driverA: { ...driverA, ...a },
    driverB: { ...driverB, ...b },
    importId: started.import.id,
    attendance,
    ruleIds: Object.fromEntries(rules.map((r) => [r.activity, r.id])) as Record<string, string>,
    ratingPolicy: policies.json.items[0].policy as unknown,
    tokens,
    throwawayToken,
    claim,
    rejectedClaim,
    appeal,
    voucher,
    importsSettled,
  };
}

export type AuthorizationScene = Awaited<ReturnType<typeof authorizationScene>>;

/**
 * Strings a caller must never be shown in a successful answer: driver A's private ids (and
 * partner P1's, where the caller is not P1's staff or the committee). P1's staff see the vouchers
 * A redeemed at P1, by design; the committee sees everything.
 */
export function secretsHiddenFrom(s: AuthorizationScene, actor: Actor): string[] {
  if (actor === 'committee' || actor === 'driver') return actor === 'driver' ? [s.p1.pendingOffer.id] : [];
  const a = s.driverA;
  const vouchers = [a.confirmed.id, a.confirmed.code, a.held.id, a.held.code];
  const driverA = [a.id, a.phone, a.wallet, a.claimId, a.appealId, a.report.id, a.report.photoId, a.safetyEventId, a.notificationId];
  if (actor === 'staff') return driverA;
  return [...driverA, ...vouchers, s.p1.pendingOffer.id];
}

/**
 * Fields that name another driver's grid report by design: a driver's report flagged as a likely
 * duplicate says which report it repeats, how far away and when ("someone reported this 12 m
 * away"). The id grants nothing (that report and its photo stay 404 to them), so the leak check
 * reads answers without these fields.
 */
export const REFERENCES_BY_DESIGN = ['likelyDuplicateOf', 'duplicateOf', 'duplicateHint'];

/** An answer's text as the leak check reads it. */
export function shownText(text: string, json: unknown): string {
  if (json === undefined) return text;
  return JSON.stringify(json, (key, value) => (REFERENCES_BY_DESIGN.includes(key) ? undefined : value));
}
