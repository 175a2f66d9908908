// Volunteering claims: a driver claims hours (JSON, or multipart with a photo), the committee
// works the queue oldest first and approves (paid through the ledger in the same transaction,
// under the monthly cap) or rejects with a reason; drivers see only their own claims; an
// upheld appeal's payVolunteerClaim() pays a rejected claim once.

import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne, queryRows } from '../../db/client';
import { payVolunteerClaim } from '../../api/earning/volunteering';
import { ledgerSoundAfterEach } from '../market/market-support';
import { describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';
import { expectProblem } from '../support/problems';
import { pinMultipliersToOne } from './earning-support';
import { jpeg, png, text, concat } from './photos-fixtures';

async function scene(t: TestApp) {
  const committee = await t.signedIn('committee');
  const driver = await t.signedIn('driver');
  const other = await t.signedIn('driver');
  const claim = async (token: string, body: Record<string, string>) => {
    const res = await t.call('POST', '/api/volunteering', { token, body });
    expect(res.status, res.text).toBe(201);
    return res.json as { id: string; status: string };
  };
  const wallet = async (token: string) => (await t.call('GET', '/api/me/wallet', { token })).json as { available: string; lifetimeEarned: string };
  return { committee, driver, other, claim, wallet };
}

function multipart(fields: Record<string, string>, photo?: { bytes: Uint8Array; name?: string; type?: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (photo) form.append('photo', new Blob([photo.bytes], { type: photo.type ?? 'image/png' }), photo.name ?? 'evidence.png');
  return form;
}

async function postForm(t: TestApp, token: string, form: FormData) {
  const res = await t.app.request('/api/volunteering', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = await res.text();
  return { status: res.status, headers: res.headers, text: body, json: body ? JSON.parse(body) : undefined };
}

const count = async (t: TestApp, table: 'volunteer_claims' | 'photos' | 'earnings') =>
  Number((await queryOne<{ n: string }>(t.db, sql`select count(*)::text as n from ${sql.identifier(table)}`))!.n);

describeEachBackend('volunteering claims', (current) => {
  ledgerSoundAfterEach(current);

  it('a retry with the same Idempotency-Key returns the first claim; the key on another claim is a 409', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const body = { event: 'Exam day convoy', date: '2026-05-30', hours: '3', organiser: 'Baoan Transport Association' };
    const headers = { 'idempotency-key': 'claim-retry-0001' };
    const first = await t.call('POST', '/api/volunteering', { token: s.driver.token, body, headers });
    expect(first.status, first.text).toBe(201);
    const again = await t.call('POST', '/api/volunteering', { token: s.driver.token, body: { ...body, hours: '3.00' }, headers });
    expect(again.status, again.text).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    expect(await count(t, 'volunteer_claims')).toBe(1);

    const other = await t.call('POST', '/api/volunteering', { token: s.driver.token, body: { ...body, hours: '4' }, headers });
    expectProblem(other, 409, 'idempotency_conflict');
    // Keys are per driver: another driver's claim with the same key is their own, new claim.
    const theirs = await t.call('POST', '/api/volunteering', { token: s.other.token, body, headers });
    expect(theirs.status, theirs.text).toBe(201);
    expect(theirs.json.id).not.toBe(first.json.id);
    // Without a key, the same hours make a second claim (the committee sees both).
    await s.claim(s.driver.token, body);
    expect(await count(t, 'volunteer_claims')).toBe(3);
  });

  it('a driver claims, the committee approves: 10 points an hour reach the wallet and the statement, audited', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const res = await t.call('POST', '/api/volunteering', {
      token: s.driver.token,
      body: { event: '高考护航 Exam day convoy', date: '2026-05-30', hours: '3.5', organiser: 'Baoan Transport Association' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'submitted',
      driver: { id: s.driver.id, phone: s.driver.phone },
      event: '高考护航 Exam day convoy',
      organiser: 'Baoan Transport Association',
      date: '2026-05-30',
      hours: '3.50',
      photoId: null,
      payment: null,
      createdAt: '2026-06-01T08:00:00.000Z',
    });
    const id = res.json.id as string;

    const approved = await t.call('POST', `/api/volunteering/${id}/approve`, { token: s.committee.token });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json).toMatchObject({ id, status: 'approved', decidedBy: s.committee.id, decidedAt: '2026-06-01T08:00:00.000Z', payment: { points: '35.00', units: '3.50' } });

    expect(await s.wallet(s.driver.token)).toMatchObject({ available: '35.00', lifetimeEarned: '35.00' });
    const statement = await t.call('GET', '/api/me/statement', { token: s.driver.token });
    expect(statement.json.lines).toHaveLength(1);
    expect(statement.json.lines[0]).toMatchObject({ code: 'earn.volunteering', amount: '35.00', balanceAfter: '35.00', transferId: approved.json.payment.transferId });
    expect(statement.json.lines[0].reason).toContain('高考护航 Exam day convoy (2026-05-30)');

    const audits = await queryRows(t.db, sql`select action, actor_id, after->>'points' as points from audit_log where target_id = ${id}`);
    expect(audits).toEqual([{ action: 'volunteer_claim.approve', actor_id: s.committee.id, points: '35.00' }]);

    const mine = await t.call('GET', `/api/volunteering/${id}`, { token: s.driver.token });
    expect(mine.json).toMatchObject({ status: 'approved', payment: { points: '35.00' } });
  });

  it('the committee rejects with a reason: nothing paid, the driver sees why, audited', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const { id } = await s.claim(s.driver.token, { event: 'Road cleanup', date: '2026-05-20', hours: '2' });
    const res = await t.call('POST', `/api/volunteering/${id}/reject`, { token: s.committee.token, body: { reason: 'The organiser has no record of you' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'rejected', reason: 'The organiser has no record of you', payment: null, decidedBy: s.committee.id });
    expect((await t.call('GET', `/api/volunteering/${id}`, { token: s.driver.token })).json.reason).toBe('The organiser has no record of you');
    expect(await s.wallet(s.driver.token)).toMatchObject({ available: '0.00' });
    expect(await count(t, 'earnings')).toBe(0);
    const audits = await queryRows(t.db, sql`select action, after->>'reason' as reason from audit_log where target_id = ${id}`);
    expect(audits).toEqual([{ action: 'volunteer_claim.reject', reason: 'The organiser has no record of you' }]);
  });

  it('deciding a decided claim is a 409 and changes nothing', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const a = await s.claim(s.driver.token, { event: 'Convoy', date: '2026-05-20', hours: '2' });
    const b = await s.claim(s.driver.token, { event: 'Cleanup', date: '2026-05-21', hours: '1' });
    await t.call('POST', `/api/volunteering/${a.id}/approve`, { token: s.committee.token });
    await t.call('POST', `/api/volunteering/${b.id}/reject`, { token: s.committee.token, body: { reason: 'not volunteering' } });

    expectProblem(await t.call('POST', `/api/volunteering/${a.id}/approve`, { token: s.committee.token }), 409, 'claim_already_decided');
    expectProblem(await t.call('POST', `/api/volunteering/${a.id}/reject`, { token: s.committee.token, body: { reason: 'changed my mind' } }), 409, 'claim_already_decided');
    const again = expectProblem(await t.call('POST', `/api/volunteering/${b.id}/approve`, { token: s.committee.token }), 409, 'claim_already_decided');
    expect(again.detail).toContain('already rejected');
    expect(await s.wallet(s.driver.token)).toMatchObject({ available: '20.00' });
    expect((await t.call('GET', `/api/volunteering/${a.id}`, { token: s.driver.token })).json.status).toBe('approved');
    expect((await t.call('GET', `/api/volunteering/${b.id}`, { token: s.driver.token })).json.status).toBe('rejected');
    expectProblem(await t.call('POST', '/api/volunteering/00000000-0000-4000-8000-00000000dead/approve', { token: s.committee.token }), 404, 'claim_not_found');
  });

  it('approvals stop paying exactly at the 40-hour monthly cap and pay again next month', async () => {
    const t = testApp(current());
    await pinMultipliersToOne(t.db, 'volunteering'); // 20 approved hours lift the driver to AA
    t.clock.set('2026-07-02T08:00:00.000Z');
    const s = await scene(t);
    const approve = async (date: string, hours: string) => {
      const { id } = await s.claim(s.driver.token, { event: `Convoy ${date}`, date, hours });
      const res = await t.call('POST', `/api/volunteering/${id}/approve`, { token: s.committee.token });
      expect(res.status, res.text).toBe(200);
      return res.json.payment as { points: string; units: string };
    };
    expect(await approve('2026-06-01', '20')).toMatchObject({ points: '200.00', units: '20.00' });
    expect(await approve('2026-06-15', '16')).toMatchObject({ points: '160.00', units: '16.00' });
    expect(await approve('2026-06-30', '6')).toMatchObject({ points: '40.00', units: '4.00' }); // 36 + 4 = 40
    expect(await approve('2026-06-30', '1')).toMatchObject({ points: '0.00', units: '0.00' });
    expect(await approve('2026-07-01', '1.25')).toMatchObject({ points: '12.50', units: '1.25' });
    expect(await s.wallet(s.driver.token)).toMatchObject({ available: '412.50' });
  });

  it('the committee queue: submitted claims, oldest first, in pages that do not skip claims decided meanwhile', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await s.claim(i % 2 ? s.other.token : s.driver.token, { event: `Event ${i}`, date: '2026-05-20', hours: '1' })).id);
      t.clock.advance(60_000);
    }
    const first = await t.call('GET', '/api/volunteering?limit=2', { token: s.committee.token });
    expect(first.json.items.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
    // the committee decides the first page before asking for the next
    for (const id of ids.slice(0, 2)) await t.call('POST', `/api/volunteering/${id}/approve`, { token: s.committee.token });
    const second = await t.call('GET', `/api/volunteering?limit=2&cursor=${first.json.nextCursor}`, { token: s.committee.token });
    expect(second.json.items.map((c: { id: string }) => c.id)).toEqual(ids.slice(2, 4));
    const third = await t.call('GET', `/api/volunteering?limit=2&cursor=${second.json.nextCursor}`, { token: s.committee.token });
    expect(third.json.items.map((c: { id: string }) => c.id)).toEqual(ids.slice(4));
    expect(third.json.nextCursor).toBeNull();

    const approved = await t.call('GET', '/api/volunteering?status=approved', { token: s.committee.token });
    expect(approved.json.items.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
    const oneDriver = await t.call('GET', `/api/volunteering?status=all&driverId=${s.other.id}&order=newest`, { token: s.committee.token });
    expect(oneDriver.json.items.map((c: { id: string }) => c.id)).toEqual([ids[3], ids[1]]);
    expectProblem(await t.call('GET', '/api/volunteering?cursor=bm90LWEtY3Vyc29y', { token: s.committee.token }), 400, 'validation_failed');
  });

  it('a claim with a photo as multipart: stored with the claim; a non-image stores neither', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const ok = await postForm(t, s.driver.token, multipart({ event: 'Convoy', date: '2026-05-20', hours: '2', organiser: 'Port authority' }, { bytes: png() }));
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json).toMatchObject({ status: 'submitted', hours: '2.00', organiser: 'Port authority', photoId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const photo = await queryOne<{ owner_id: string; mime: string }>(t.db, sql`select owner_id::text, mime from photos where id = ${ok.json.photoId}`);
    expect(photo).toEqual({ owner_id: s.driver.id, mime: 'image/png' });

    const noPhoto = await postForm(t, s.driver.token, multipart({ event: 'Convoy 2', date: '2026-05-21', hours: '1' }));
    expect(noPhoto.status, noPhoto.text).toBe(201);
    expect(noPhoto.json.photoId).toBeNull();

    const [claimsBefore, photosBefore] = [await count(t, 'volunteer_claims'), await count(t, 'photos')];
    const pdf = await postForm(t, s.driver.token, multipart({ event: 'Convoy', date: '2026-05-20', hours: '2' }, { bytes: text('%PDF-1.4 not a photo'), type: 'image/jpeg', name: 'x.jpg' }));
    expectProblem(pdf, 415, 'unsupported_media_type');
    const polyglot = await postForm(t, s.driver.token, multipart({ event: 'Convoy', date: '2026-05-20', hours: '2' }, { bytes: concat(jpeg(), text('<?php echo 1; ?>')), type: 'image/jpeg' }));
    expectProblem(polyglot, 422, 'invalid_image');
    const badHours = await postForm(t, s.driver.token, multipart({ event: 'Convoy', date: '2026-05-20', hours: '25' }, { bytes: png() }));
    expectProblem(badHours, 400, 'validation_failed');
    expect([await count(t, 'volunteer_claims'), await count(t, 'photos')]).toEqual([claimsBefore, photosBefore]);
  });

  it('bad claims get field errors and store nothing', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const bad = async (body: unknown, field: string, status = 400) => {
      const res = await t.call('POST', '/api/volunteering', { token: s.driver.token, body });
      const p = expectProblem(res, status, 'validation_failed');
      expect(p.errors?.map((e) => e.path)).toContain(field);
    };
    await bad({ event: 'Convoy', date: '2026-06-02', hours: '2' }, 'date'); // tomorrow in Shanghai
    await bad({ event: 'Convoy', date: '2026-02-30', hours: '2' }, 'date');
    await bad({ event: 'Convoy', date: '30/05/2026', hours: '2' }, 'date');
    await bad({ event: 'Convoy', date: '2026-05-30', hours: '0' }, 'hours');
    await bad({ event: 'Convoy', date: '2026-05-30', hours: '24.01' }, 'hours');
    await bad({ event: 'Convoy', date: '2026-05-30', hours: 3 }, 'hours');
    await bad({ event: 'Convoy', date: '2026-05-30', hours: '1.234' }, 'hours');
    await bad({ event: '   ', date: '2026-05-30', hours: '2' }, 'event');
    await bad({ event: 'x'.repeat(201), date: '2026-05-30', hours: '2' }, 'event');
    await bad({ event: 'a\u0000b', date: '2026-05-30', hours: '2' }, 'event');
    await bad({ date: '2026-05-30', hours: '2' }, 'event');
    expectProblem(await t.call('POST', '/api/volunteering', { token: s.driver.token, body: 'event=x', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
    // today (programme time) is allowed, and 24 hours
    expect((await t.call('POST', '/api/volunteering', { token: s.driver.token, body: { event: 'Convoy', date: '2026-06-01', hours: '24' } })).status).toBe(201);
    expect(await count(t, 'volunteer_claims')).toBe(1);
  });

  it('security: drivers cannot decide claims, nor see or list other drivers’ claims; signed-out callers get 401', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const mine = await s.claim(s.driver.token, { event: 'Convoy', date: '2026-05-20', hours: '2' });
    const theirs = await s.claim(s.other.token, { event: 'Cleanup', date: '2026-05-20', hours: '3' });

    expectProblem(await t.call('POST', `/api/volunteering/${mine.id}/approve`, { token: s.driver.token }), 403, 'forbidden');
    expectProblem(await t.call('POST', `/api/volunteering/${mine.id}/reject`, { token: s.driver.token, body: { reason: 'nope nope' } }), 403, 'forbidden');
    expectProblem(await t.call('GET', `/api/volunteering/${theirs.id}`, { token: s.driver.token }), 404, 'claim_not_found');
    expectProblem(await t.call('GET', `/api/volunteering?driverId=${s.other.id}`, { token: s.driver.token }), 403, 'forbidden');
    const list = await t.call('GET', '/api/volunteering?status=all', { token: s.driver.token });
    expect(list.json.items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    expectProblem(await t.call('POST', '/api/volunteering', { token: s.committee.token, body: { event: 'x', date: '2026-05-20', hours: '1' } }), 403, 'forbidden');
    expectProblem(await t.call('POST', '/api/volunteering', { body: { event: 'x', date: '2026-05-20', hours: '1' } }), 401, 'unauthenticated');
    expectProblem(await t.call('GET', '/api/volunteering'), 401, 'unauthenticated');
    const partner = await t.call('GET', '/api/volunteering', { token: (await t.signedIn('integration')).token });
    expectProblem(partner, 403, 'forbidden');

    expect((await queryOne<{ n: string }>(t.db, sql`select count(*)::text as n from volunteer_claims where status <> 'submitted'`))!.n).toBe('0');
    expect(await s.wallet(s.driver.token)).toMatchObject({ available: '0.00' });
  });

  it('payVolunteerClaim (an upheld appeal) approves a rejected claim and pays it once, however often it runs', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const { id } = await s.claim(s.driver.token, { event: 'Convoy', date: '2026-05-20', hours: '2' });
    await t.call('POST', `/api/volunteering/${id}/reject`, { token: s.committee.token, body: { reason: 'no record' } });
    t.clock.advance(86_400_000); // the appeal is decided a day later
    const first = await t.db.transaction((tx) => payVolunteerClaim(tx, t.clock, id, s.committee.id));
    expect(first.changed).toBe(true);
    expect(first.claim).toMatchObject({ status: 'approved', reason: null });
    expect(first.payment.paid && first.payment.earning.points.toFixed(2)).toBe('20.00');
    const again = await t.db.transaction((tx) => payVolunteerClaim(tx, t.clock, id, s.committee.id));
    expect(again.changed).toBe(false);
    expect(again.payment.paid && again.payment.replayed).toBe(true);
    expect(await s.wallet(s.driver.token)).toMatchObject({ available: '20.00' });
    const audits = await queryRows(t.db, sql`select action, before->>'status' as before from audit_log where target_id = ${id} order by created_at`);
    expect(audits).toEqual([
      { action: 'volunteer_claim.reject', before: 'submitted' },
      { action: 'volunteer_claim.approve', before: 'rejected' },
    ]);
    await expect(t.db.transaction((tx) => payVolunteerClaim(tx, t.clock, '00000000-0000-4000-8000-00000000dead', null))).rejects.toMatchObject({ code: 'claim_not_found' });
  });
});
