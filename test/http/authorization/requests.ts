// For every row of the matrix, the request each caller sends: the one that succeeds for the
// callers allowed to make it (a valid body, ids of things driver A or partner P1 own), so that a
// refusal is an authorization decision and not a validation error. Rows whose success uses up
// what they act on (cancel, confirm, decide …) make it fresh in `setup`.

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { png, reportForm } from '../../earning/photos-fixtures';
import { HERE } from '../../earning/grid-reports-support';
import type { Actor } from './matrix';
import { CLAIM_DATE, type AuthorizationScene } from './scene';

export interface ProbeRequest {
  method: string;
  url: string;
  json?: unknown;
  form?: FormData;
  text?: { body: string; contentType: string };
  headers?: Record<string, string>;
  /** Sign the request with this token instead of the actor's own (sign-out spends a session). */
  token?: string | null;
}

type Fixture = Record<string, string>;

export interface Probe {
  setup?: (s: AuthorizationScene) => Promise<Fixture>;
  request: (s: AuthorizationScene, actor: Actor, fixture: Fixture) => ProbeRequest | Promise<ProbeRequest>;
}

const get = (url: string): ProbeRequest => ({ method: 'GET', url });
const post = (url: string, json?: unknown, headers?: Record<string, string>): ProbeRequest => ({ method: 'POST', url, json, headers });
const keyed = () => ({ 'idempotency-key': randomUUID() });
const password = 'a-long-test-password';

export const PROBES: Record<string, Probe> = {
  'POST /api/auth/register': {
    request: (s) => post('/api/auth/register', { phone: s.uniquePhone(), name: 'New Driver', plateNumber: '粤B·M0001', password }),
  },
  'POST /api/auth/login': {
    request: (s) => post('/api/auth/login', { phone: s.driverB.phone, password }),
  },
  'POST /api/auth/logout': {
    request: async (s, actor) => ({ ...post('/api/auth/logout'), token: (await s.throwawayToken(actor)) ?? null }),
  },
  'GET /api/me': { request: () => get('/api/me') },
  'POST /api/committee/members': {
    request: (s) => post('/api/committee/members', { phone: s.uniquePhone(), name: 'New Member', password }),
  },

  'POST /api/partners': {
    request: () => post('/api/partners', { name: 'New Garage', kind: 'garage', region: 'Longgang', address: '1 Road' }),
  },
  'GET /api/partners': { request: () => get('/api/partners') },
  'POST /api/partners/{id}/staff': {
    request: (s) => post(`/api/partners/${s.p1.id}/staff`, { phone: s.uniquePhone(), name: 'New Staff', password }),
  },
  'POST /api/partners/{id}/settlements': {
    request: (s) => post(`/api/partners/${s.p1.id}/settlements`, { from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }, keyed()),
  },

  'GET /api/me/wallet': { request: () => get('/api/me/wallet') },
  'GET /api/me/statement': { request: () => get('/api/me/statement') },
  'GET /api/ledger/accounts/{id}': { request: (s) => get(`/api/ledger/accounts/${s.driverA.wallet}`) },
  'GET /api/ledger/transfers': { request: () => get('/api/ledger/transfers') },
  'POST /api/ledger/adjustments': {
    request: (s) => post('/api/ledger/adjustments', { driverId: s.driverA.id, amount: '5.00', reason: 'matrix adjustment' }, keyed()),
  },
  'POST /api/ledger/transfers/{id}/reverse': {
    setup: async (s) => {
      const res = await s.call('POST', '/api/ledger/adjustments', {
        token: s.committee.token,
        headers: keyed(),
        body: { driverId: s.driverA.id, amount: '7.00', reason: 'to be reversed' },
      });
      return { transferId: res.json.transferId };
    },
    request: (_s, _a, f) => post(`/api/ledger/transfers/${f.transferId}/reverse`, { reason: 'entered twice' }, keyed()),
  },
  'GET /api/ledger/trial-balance': { request: () => get('/api/ledger/trial-balance') },
  'GET /api/ledger/verify': { request: () => get('/api/ledger/verify') },

  'GET /api/offers': { request: () => get('/api/offers') },
  'GET /api/offers?status=pending_approval': { request: () => get('/api/offers?status=pending_approval') },
  'GET /api/offers/{id}': { request: (s) => get(`/api/offers/${s.p1.pendingOffer.id}`) },
  'POST /api/offers': {
    request: (s) =>
      post('/api/offers', {
        partnerId: s.p1.id,
        category: 'repair',
        title: 'Tyre check',
        description: 'Pressure and tread',
        faceValue: '¥50 off',
        price: '20.00',
        stock: 5,
        perDriverLimit: 1,
      }),
  },
  'PATCH /api/offers/{id}': {
    request: (s) => ({ method: 'PATCH', url: `/api/offers/${s.p1.pendingOffer.id}`, json: { description: 'Pads and discs, checked twice' } }),
  },
  'POST /api/offers/{id}/approve': {
    setup: async (s) => ({ offerId: (await s.propose(s.p1.staff.token, { title: 'to approve' })).id }),
    request: (_s, _a, f) => post(`/api/offers/${f.offerId}/approve`),
  },
  'GET /api/offer-regions': { request: () => get('/api/offer-regions') },
  'POST /api/redemptions': {
    request: (s) => post('/api/redemptions', { offerId: s.p1.activeOffer.id }, keyed()),
  },
  'GET /api/me/redemptions': { request: () => get('/api/me/redemptions') },
  'GET /api/me/redemptions/{id}': { request: (s) => get(`/api/me/redemptions/${s.driverA.held.id}`) },
  'POST /api/redemptions/{id}/cancel': {
    setup: async (s) => ({ id: (await s.voucher(s.driverA, s.p1.activeOffer)).id }),
    request: (_s, _a, f) => post(`/api/redemptions/${f.id}/cancel`),
  },
  'GET /api/partner/redemptions/lookup': {
    request: (s) => get(`/api/partner/redemptions/lookup?code=${encodeURIComponent(s.driverA.held.code)}`),
  },
  'POST /api/partner/redemptions/confirm': {
    setup: async (s) => ({ code: (await s.voucher(s.driverA, s.p1.activeOffer)).code }),
    request: (_s, _a, f) => post('/api/partner/redemptions/confirm', { code: f.code }),
  },
  'POST /api/partner/redemptions/{id}/reject': {
    setup: async (s) => ({ id: (await s.voucher(s.driverA, s.p1.activeOffer)).id }),
    request: (_s, _a, f) => post(`/api/partner/redemptions/${f.id}/reject`, { reason: 'the part is not in stock' }),
  },
  'GET /api/partner/statement': { request: () => get('/api/partner/statement') },

  'GET /api/reward-rules': { request: () => get('/api/reward-rules') },
  'GET /api/reward-rules/{id}': { request: (s) => get(`/api/reward-rules/${s.ruleIds.volunteering}`) },
  'POST /api/reward-rules': {
    // Every activity has its rule from the start: take one away (past the append-only guard) to create.
    setup: async (s) => {
      const id = s.ruleIds.safety_challenge!;
      await s.db.execute(sql`alter table reward_rule_versions disable trigger reward_rule_versions_append_only`);
      await s.db.execute(sql`delete from reward_rule_versions where rule_id = ${id}`);
      await s.db.execute(sql`delete from reward_rules where id = ${id}`);
      await s.db.execute(sql`alter table reward_rule_versions enable trigger reward_rule_versions_append_only`);
      return {};
    },
    request: () =>
      post('/api/reward-rules', {
        activity: 'safety_challenge',
        name: '60-day challenge',
        terms: { points: '50', unit: 'milestone', everyDays: 60 },
        note: 'Shorter challenge',
      }),
  },
  'POST /api/reward-rules/{id}/versions': {
    request: (s) =>
      post(`/api/reward-rules/${s.ruleIds.volunteering}/versions`, {
        effectiveFrom: '2026-09-01T00:00:00+08:00',
        terms: { points: '10', unit: 'hour', caps: { month: '40' } },
        note: 'Same terms, restated',
      }),
  },
  'POST /api/reward-rules/simulate': {
    request: () =>
      post('/api/reward-rules/simulate', {
        rules: { volunteering: { points: '12', unit: 'hour', caps: { month: '40' } } },
        from: '2026-05-01T00:00:00+08:00',
        to: '2026-06-01T00:00:00+08:00',
      }),
  },
  'GET /api/me/earning-rates': { request: () => get('/api/me/earning-rates') },
  'GET /api/programme-settings': { request: () => get('/api/programme-settings') },
  'PUT /api/programme-settings/awards': { request: () => ({ method: 'PUT', url: '/api/programme-settings/awards', json: { maxPoints: '500.00' } }) },
  'PUT /api/programme-settings/expiry': {
    request: () => ({ method: 'PUT', url: '/api/programme-settings/expiry', json: { months: 24, noticeDays: 30 } }),
  },
  'POST /api/awards': {
    request: (s) => post('/api/awards', { driverId: s.driverA.id, points: '10.00', reason: 'Helped at an accident' }, keyed()),
  },
  'GET /api/me/points-expiry': { request: () => get('/api/me/points-expiry') },
  'GET /api/me/notifications': { request: () => get('/api/me/notifications') },
  'POST /api/me/notifications/{id}/read': { request: (s) => post(`/api/me/notifications/${s.driverA.notificationId}/read`) },

  'POST /api/appeals': {
    setup: async (s) => ({ subjectId: await s.rejectedClaim(s.driverA) }),
    request: (_s, _a, f) =>
      post('/api/appeals', { subjectType: 'volunteer_claim', subjectId: f.subjectId, reason: 'The organiser has the sign-in sheet.' }),
  },
  'GET /api/appeals': { request: () => get('/api/appeals') },
  'POST /api/appeals/{id}/decide': {
    setup: async (s) => ({ id: await s.appeal(s.driverA) }),
    request: (_s, _a, f) => post(`/api/appeals/${f.id}/decide`, { decision: 'dismissed', note: 'No new evidence.' }),
  },

  'POST /api/volunteering': {
    request: () => post('/api/volunteering', { event: 'Bridge clean-up', date: CLAIM_DATE, hours: '1.5', organiser: 'Futian Road Club' }),
  },
  'GET /api/volunteering': { request: () => get('/api/volunteering') },
  'GET /api/volunteering?driverId=A': { request: (s) => get(`/api/volunteering?driverId=${s.driverA.id}`) },
  'GET /api/volunteering/{id}': { request: (s) => get(`/api/volunteering/${s.driverA.claimId}`) },
  'POST /api/volunteering/{id}/approve': {
    setup: async (s) => ({ id: await s.claim(s.driverA) }),
    request: (_s, _a, f) => post(`/api/volunteering/${f.id}/approve`),
  },
  'POST /api/volunteering/{id}/reject': {
    setup: async (s) => ({ id: await s.claim(s.driverA) }),
    request: (_s, _a, f) => post(`/api/volunteering/${f.id}/reject`, { reason: 'no record of the event' }),
  },
  'POST /api/volunteering/import': {
    request: (s) => ({ method: 'POST', url: '/api/volunteering/import', text: { body: s.attendance, contentType: 'text/csv' } }),
  },
  'GET /api/volunteering/imports': { request: () => get('/api/volunteering/imports') },
  'GET /api/volunteering/imports/{id}': { request: (s) => get(`/api/volunteering/imports/${s.importId}`) },

  'POST /api/safety-events': {
    request: (s) =>
      post('/api/safety-events', {
        events: [{ externalId: `matrix-${randomUUID()}`, driverId: s.driverA.id, kind: 'violation', severity: 'minor', occurredAt: '2026-05-31T09:00:00Z' }],
      }),
  },
  'GET /api/safety-events': { request: () => get('/api/safety-events') },
  'GET /api/safety-events?driverId=A': { request: (s) => get(`/api/safety-events?driverId=${s.driverA.id}`) },
  'GET /api/me/safety': { request: () => get('/api/me/safety') },

  'POST /api/grid-reports': {
    request: () => ({
      method: 'POST',
      url: '/api/grid-reports',
      form: reportForm({ lat: HERE.lat, lng: HERE.lng, category: 'pothole', note: 'matrix' }, { bytes: png() }),
    }),
  },
  'GET /api/grid-reports': { request: () => get('/api/grid-reports') },
  'GET /api/grid-reports?driverId=A': { request: (s) => get(`/api/grid-reports?driverId=${s.driverA.id}`) },
  'GET /api/grid-reports/{id}': { request: (s) => get(`/api/grid-reports/${s.driverA.report.id}`) },
  'POST /api/grid-reports/{id}/transition': {
    request: (s) => post(`/api/grid-reports/${s.driverA.report.id}/transition`, { to: 'verified' }),
  },
  'GET /api/photos/{id}': { request: (s) => get(`/api/photos/${s.driverA.report.photoId}`) },

  'GET /api/me/rating': { request: () => get('/api/me/rating') },
  'GET /api/drivers/{id}/rating': { request: (s) => get(`/api/drivers/${s.driverA.id}/rating`) },
  'GET /api/rating-policies': { request: () => get('/api/rating-policies') },
  'GET /api/rating-policies/{version}': { request: () => get('/api/rating-policies/1') },
  'POST /api/rating-policies': {
    request: (s) => post('/api/rating-policies', { policy: s.ratingPolicy, effectiveFrom: '2026-09-01T00:00:00+08:00', note: 'Restated' }),
  },
  'POST /api/rating-policies/simulate': { request: (s) => post('/api/rating-policies/simulate', { policy: s.ratingPolicy }) },

  'GET /api/reports/summary': { request: () => get('/api/reports/summary') },
  'GET /api/audit-log': { request: () => get('/api/audit-log') },
  'GET /api/drivers': { request: () => get('/api/drivers') },
  'GET /api/drivers/{id}': { request: (s) => get(`/api/drivers/${s.driverA.id}`) },
  'GET /api/drivers/{id}/statement': { request: (s) => get(`/api/drivers/${s.driverA.id}/statement`) },
};
