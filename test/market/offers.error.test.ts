// Offers, refused: who may not create, edit or approve what, transitions that do not exist,
// stock below what is already out, and requests that do not validate. Each refusal is a
// problem+json with its own code, and the offer is left as it was.

import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends';
import { expectNoLeak, expectProblem } from '../support/problems';
import { ledgerSoundAfterEach, marketScene } from './market-support';

describeEachBackend('market: offers refused', (current) => {
  ledgerSoundAfterEach(current);

  const valid = { category: 'repair', title: 'Brake service', faceValue: '¥200 off brake service', price: '100.00', stock: 10, perDriverLimit: 1 };

  it('drivers cannot create, edit, approve offers or see the approval queue (403)', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver();
    const pending = await m.propose(garage.staff.token);

    expectProblem(await m.call('POST', '/api/offers', { token: driver.token, body: { ...valid, partnerId: garage.id } }), 403, 'forbidden');
    expectProblem(await m.patchOffer(driver.token, pending.id, { title: 'mine now' }), 403, 'forbidden');
    expectProblem(await m.call('POST', `/api/offers/${pending.id}/approve`, { token: driver.token }), 403, 'forbidden');
    expectProblem(await m.call('GET', '/api/offers?status=pending_approval', { token: driver.token }), 403, 'forbidden');
    expectProblem(await m.call('GET', `/api/offers/${pending.id}`, { token: driver.token }), 404, 'offer_not_found');

    const after = await m.call('GET', `/api/offers/${pending.id}`, { token: m.committee.token });
    expect(after.json).toMatchObject({ title: pending.title, status: 'pending_approval' });
  });

  it('signed out, the catalog and every offer route is a 401', async () => {
    const m = await marketScene(current());
    expectProblem(await m.call('GET', '/api/offers'), 401, 'unauthenticated');
    expectProblem(await m.call('POST', '/api/offers', { body: valid }), 401, 'unauthenticated');
    expectProblem(await m.call('PATCH', `/api/offers/${randomUUID()}`, { body: { title: 'x' } }), 401, 'unauthenticated');
    expectProblem(await m.call('POST', `/api/offers/${randomUUID()}/approve`), 401, 'unauthenticated');
  });

  it("partner staff cannot edit, pause or retire another partner's offer, nor create one for it (403), and it stays as it was", async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const rival = await m.addPartner({ name: 'Rival Garage' });
    const offer = await m.activeOffer(garage.staff.token, { title: 'Brake service', price: '100.00' });

    for (const body of [{ title: 'Rival brakes' }, { price: '1.00' }, { status: 'paused' }, { status: 'retired' }, { stock: 0 }]) {
      const res = await m.patchOffer(rival.staff.token, offer.id, body);
      expectProblem(res, 403, 'forbidden');
      expectNoLeak(res.text);
    }
    expectProblem(await m.call('POST', '/api/offers', { token: rival.staff.token, body: { ...valid, partnerId: garage.id } }), 403, 'forbidden');

    const after = await m.call('GET', `/api/offers/${offer.id}`, { token: m.committee.token });
    expect(after.json).toMatchObject({ title: 'Brake service', price: '100.00', status: 'active', stockTotal: 10, stockLeft: 10, partner: { id: garage.id } });
    // and nothing was created for the garage by its rival
    expect((await m.catalog(m.committee.token, { status: 'pending_approval' })).items).toEqual([]);
  });

  it('partner staff cannot approve offers, not even their own (403)', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const pending = await m.propose(garage.staff.token);
    expectProblem(await m.call('POST', `/api/offers/${pending.id}/approve`, { token: garage.staff.token }), 403, 'forbidden');
    expectProblem(await m.patchOffer(garage.staff.token, pending.id, { status: 'active' }), 409, 'invalid_transition');
    expect((await m.call('GET', `/api/offers/${pending.id}`, { token: garage.staff.token })).json.status).toBe('pending_approval');
  });

  it('transitions that do not exist are 409 invalid_transition, and the status stays', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const token = garage.staff.token;
    const status = async (id: string) => (await m.call('GET', `/api/offers/${id}`, { token: m.committee.token })).json.status;

    const active = await m.activeOffer(token);
    expectProblem(await m.call('POST', `/api/offers/${active.id}/approve`, { token: m.committee.token }), 409, 'invalid_transition');
    expectProblem(await m.patchOffer(token, active.id, { status: 'pending_approval' }), 409, 'invalid_transition');
    expect(await status(active.id)).toBe('active');

    const draft = await m.propose(token, { submit: false });
    expectProblem(await m.call('POST', `/api/offers/${draft.id}/approve`, { token: m.committee.token }), 409, 'invalid_transition');
    expectProblem(await m.patchOffer(token, draft.id, { status: 'paused' }), 409, 'invalid_transition');
    expectProblem(await m.patchOffer(token, draft.id, { status: 'active' }), 409, 'invalid_transition');
    expect(await status(draft.id)).toBe('draft');

    const paused = await m.activeOffer(token);
    expect((await m.patchOffer(token, paused.id, { status: 'paused' })).status).toBe(200);
    expectProblem(await m.patchOffer(token, paused.id, { status: 'pending_approval' }), 409, 'invalid_transition');
    expectProblem(await m.call('POST', `/api/offers/${paused.id}/approve`, { token: m.committee.token }), 409, 'invalid_transition');
    expect(await status(paused.id)).toBe('paused');

    const retired = await m.activeOffer(token);
    expect((await m.patchOffer(token, retired.id, { status: 'retired' })).status).toBe(200);
    for (const body of [{ status: 'active' }, { status: 'paused' }, { status: 'retired' }, { title: 'back from the dead' }]) {
      expectProblem(await m.patchOffer(m.committee.token, retired.id, body), 409, 'invalid_transition');
    }
    expect(await m.call('GET', `/api/offers/${retired.id}`, { token: m.committee.token })).toMatchObject({ json: { status: 'retired', title: retired.title } });
  });

  it('stock cannot go below the vouchers already out (422, naming the field), and stays as it was', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver('100.00');
    const offer = await m.activeOffer(garage.staff.token, { stock: 5, price: '10.00', perDriverLimit: 5 });
    for (let i = 0; i < 3; i++) await m.voucher(driver.token, offer.id);

    const problem = expectProblem(await m.patchOffer(garage.staff.token, offer.id, { stock: 2 }), 422, 'unprocessable');
    expect(problem.detail).toBe('3 vouchers are already out; stock cannot go below that');
    expect(problem.errors).toEqual([{ path: 'stock', message: 'at least 3' }]);
    expectProblem(await m.patchOffer(m.committee.token, offer.id, { stock: 0 }), 422, 'unprocessable');
    expect((await m.call('GET', `/api/offers/${offer.id}`, { token: garage.staff.token })).json).toMatchObject({ stockTotal: 5, stockLeft: 2 });
  });

  it('the committee must say which partner, and it must exist', async () => {
    const m = await marketScene(current());
    const missing = expectProblem(await m.call('POST', '/api/offers', { token: m.committee.token, body: valid }), 400, 'validation_failed');
    expect(missing.errors).toEqual([{ path: 'partnerId', message: 'required for committee members' }]);
    expectProblem(await m.call('POST', '/api/offers', { token: m.committee.token, body: { ...valid, partnerId: randomUUID() } }), 404, 'not_found');
  });

  it('invalid offers are 400 with the offending field named, and nothing is created', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ price: '0' }, 'price'],
      [{ price: '0.00' }, 'price'],
      [{ price: '-5.00' }, 'price'],
      [{ price: '1.001' }, 'price'],
      [{ price: 10 }, 'price'],
      [{ stock: -1 }, 'stock'],
      [{ stock: 1.5 }, 'stock'],
      [{ perDriverLimit: 0 }, 'perDriverLimit'],
      [{ title: '   ' }, 'title'],
      [{ faceValue: '' }, 'faceValue'],
      [{ category: 'spa' }, 'category'],
      [{ minGrade: 'AAAA' }, 'minGrade'],
      [{ limitPeriod: 'fortnight' }, 'limitPeriod'],
      [{ validFrom: 'tomorrow' }, 'validFrom'],
    ];
    for (const [change, path] of cases) {
      const res = await m.call('POST', '/api/offers', { token: garage.staff.token, body: { ...valid, ...change } });
      const problem = expectProblem(res, 400, 'validation_failed');
      expect(problem.errors?.map((e) => e.path), JSON.stringify(change)).toContain(path);
    }
    const window = await m.call('POST', '/api/offers', {
      token: garage.staff.token,
      body: { ...valid, validFrom: '2026-07-01T00:00:00Z', validTo: '2026-07-01T00:00:00Z' },
    });
    expect(expectProblem(window, 400, 'validation_failed').errors).toEqual([{ path: 'validTo', message: 'must be after validFrom' }]);
    expect((await m.catalog(garage.staff.token, { status: 'pending_approval' })).items).toEqual([]);
  });

  it('an edit must change something valid; an unknown offer is 404, a malformed id 400', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const offer = await m.activeOffer(garage.staff.token, { validFrom: '2026-05-01T00:00:00Z', validTo: '2026-12-31T00:00:00Z' });
    expectProblem(await m.patchOffer(garage.staff.token, offer.id, {}), 400, 'validation_failed');
    expectProblem(await m.patchOffer(garage.staff.token, offer.id, { status: 'draft' }), 400, 'validation_failed');
    // moving only one end of the window past the other is caught against the stored end
    expectProblem(await m.patchOffer(garage.staff.token, offer.id, { validTo: '2026-04-01T00:00:00Z' }), 400, 'validation_failed');
    expectProblem(await m.patchOffer(garage.staff.token, randomUUID(), { title: 'x' }), 404, 'offer_not_found');
    expectProblem(await m.patchOffer(garage.staff.token, 'not-a-uuid', { title: 'x' }), 400, 'validation_failed');
    expectProblem(await m.call('POST', `/api/offers/${randomUUID()}/approve`, { token: m.committee.token }), 404, 'offer_not_found');
    expect((await m.call('GET', `/api/offers/${offer.id}`, { token: garage.staff.token })).json.validTo).toBe('2026-12-31T00:00:00.000Z');
  });

  it('a cursor the API did not hand out is a 400, as are limits out of range', async () => {
    const m = await marketScene(current());
    const driver = await m.addDriver();
    const forged = Buffer.from(randomUUID()).toString('base64url');
    expect(expectProblem(await m.call('GET', `/api/offers?cursor=${forged}`, { token: driver.token }), 400, 'validation_failed').errors).toEqual([
      { path: 'cursor', message: 'invalid cursor' },
    ]);
    expectProblem(await m.call('GET', '/api/offers?limit=0', { token: driver.token }), 400, 'validation_failed');
    expectProblem(await m.call('GET', '/api/offers?limit=101', { token: driver.token }), 400, 'validation_failed');
    expectProblem(await m.call('GET', '/api/offers?sort=cheapest', { token: driver.token }), 400, 'validation_failed');
    expectProblem(await m.call('GET', '/api/offers?affordable=maybe', { token: driver.token }), 400, 'validation_failed');
  });
});
