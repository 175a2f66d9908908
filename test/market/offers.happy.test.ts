// Offers, the way it is meant to go: partners propose, the committee approves, drivers browse a
// catalog of open offers with their own price, filters, sorts and pages, and every change shows
// in the catalog at once.

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import { expectProblem } from '../support/problems';
import { DAY, ledgerSoundAfterEach, marketScene, type MarketScene } from './market-support';

/** Three partners in two regions and seven active offers, created a minute apart. */
async function shelf(m: MarketScene) {
  const garage = await m.addPartner({ name: '顺达汽修 Shunda Garage', region: 'Baoan' });
  const school = await m.addPartner({ name: '港湾驾校 Harbour Driving School', kind: 'training_school', region: 'Nanshan' });
  const station = await m.addPartner({ name: '宝安检测站 Baoan Inspection Station', kind: 'inspection_station', region: 'Baoan' });
  const make = async (token: string, input: Parameters<MarketScene['activeOffer']>[1]) => {
    m.clock.advance(60_000); // distinct creation times for "newest"
    return m.activeOffer(token, input);
  };
  const o = {
    brakes: await make(garage.staff.token, { category: 'repair', title: '刹车保养 Brake service', faceValue: '¥200 off brake service', price: '180.00' }),
    tyres: await make(garage.staff.token, { category: 'repair', title: 'Tyre fitting', faceValue: '¥100 off four tyres', price: '60.00' }),
    wash: await make(garage.staff.token, { category: 'other', title: 'Cab deep clean', faceValue: 'Free cab cleaning', price: '25.50' }),
    course: await make(school.staff.token, { category: 'training', title: '安全驾驶培训 Defensive driving course', faceValue: '¥300 off the course', price: '240.00' }),
    refresher: await make(school.staff.token, { category: 'training', title: 'Hazmat refresher', faceValue: '¥150 off', price: '120.00', description: 'Brake and tanker handling' }),
    annual: await make(station.staff.token, { category: 'inspection', title: '年检 Annual inspection', faceValue: '¥120 off the annual inspection', price: '99.99' }),
    emissions: await make(station.staff.token, { category: 'inspection', title: 'Emissions test', faceValue: '¥50 off', price: '40.00' }),
  };
  return { garage, school, station, o };
}

describeEachBackend('market: offers and the catalog', (current) => {
  ledgerSoundAfterEach(current);

  const ids = (page: { items: Array<{ id: string }> }) => page.items.map((o) => o.id);

  it('partner staff propose an offer: it awaits approval, is audited and is not yet in the catalog', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner({ name: '顺达汽修 Shunda Garage' });
    const driver = await m.addDriver('500.00');

    const res = await m.call('POST', '/api/offers', {
      token: garage.staff.token,
      body: { category: 'repair', title: '刹车保养 Brake service', faceValue: '¥200 off brake service', price: '120.50', stock: 20, perDriverLimit: 1 },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      partner: { id: garage.id, name: '顺达汽修 Shunda Garage', kind: 'garage', region: 'Baoan' },
      category: 'repair',
      title: '刹车保养 Brake service',
      description: '',
      faceValue: '¥200 off brake service',
      price: '120.50',
      stockTotal: 20,
      stockLeft: 20,
      perDriverLimit: 1,
      limitPeriod: 'month',
      validFrom: null,
      validTo: null,
      minGrade: null,
      status: 'pending_approval',
      createdAt: '2026-06-01T08:00:00.000Z',
    });

    expect((await m.catalog(driver.token)).items).toEqual([]);
    const queue = await m.catalog(m.committee.token, { status: 'pending_approval' });
    expect(ids(queue)).toEqual([res.json.id]);
    const audits = await queryRows(m.db, sql`select action, actor_id from audit_log where target_id = ${res.json.id}`);
    expect(audits).toEqual([{ action: 'offer.create', actor_id: garage.staff.id }]);
  });

  it('the committee approves: the offer is active, audited, and drivers see their price, whether they qualify and can afford it', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver('150.00');
    const cheap = await m.propose(garage.staff.token, { title: 'Oil change', faceValue: '¥80 off an oil change', price: '100.00' });
    const dear = await m.activeOffer(garage.staff.token, { title: 'Gearbox check', faceValue: '¥500 off gearbox work', price: '150.01' });
    const gated = await m.activeOffer(garage.staff.token, { title: 'AAA tyre deal', faceValue: '¥300 off tyres', price: '50.00', minGrade: 'A' });

    const approved = await m.call('POST', `/api/offers/${cheap.id}/approve`, { token: m.committee.token });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json).toMatchObject({ id: cheap.id, status: 'active' });
    const audits = await queryRows(m.db, sql`select action, actor_id from audit_log where target_id = ${cheap.id} order by created_at, action`);
    expect(audits).toEqual([
      { action: 'offer.approve', actor_id: m.committee.id },
      { action: 'offer.create', actor_id: garage.staff.id },
    ]);

    const page = await m.catalog(driver.token, { sort: 'price_asc' });
    expect(page.items.map((o) => [o.title, o.price, o.yourPrice, o.qualifies, o.affordable])).toEqual([
      ['AAA tyre deal', '50.00', '50.00', false, true],
      ['Oil change', '100.00', '100.00', true, true],
      ['Gearbox check', '150.01', '150.01', true, false],
    ]);
    expect(page.nextCursor).toBeNull();
    expect(ids(page)).toEqual([gated.id, cheap.id, dear.id]);

    // not a driver: no wallet, so "affordable" does not apply
    const asCommittee = await m.catalog(m.committee.token, { sort: 'price_asc' });
    expect(asCommittee.items.map((o) => o.affordable)).toEqual([null, null, null]);

    const one = await m.call('GET', `/api/offers/${cheap.id}`, { token: driver.token });
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id: cheap.id, status: 'active', yourPrice: '100.00', qualifies: true, affordable: true });
    // The catalog's offers, serialised once and given `affordable` per read, are the one-offer reads.
    for (const item of page.items) expect(item).toEqual((await m.call('GET', `/api/offers/${item.id}`, { token: driver.token })).json);
  });

  it('after a redeem or a cancel the driver\'s next catalog page shows their points afresh', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver('150.00');
    const oil = await m.activeOffer(garage.staff.token, { title: 'Oil change', price: '100.00' });
    const wash = await m.activeOffer(garage.staff.token, { title: 'Wash', price: '60.00' });
    const affordable = async () => Object.fromEntries((await m.catalog(driver.token)).items.map((o) => [o.title, o.affordable]));
    expect(await affordable()).toEqual({ 'Oil change': true, Wash: true });

    const bought = await m.redeem(driver.token, oil.id);
    expect(bought.status, bought.text).toBe(201);
    expect(await affordable()).toEqual({ 'Oil change': false, Wash: false });

    expect((await m.cancel(driver.token, bought.json.id)).status).toBe(200);
    expect(await affordable()).toEqual({ 'Oil change': true, Wash: true });
  });

  it('a draft stays out of the queue until it is submitted', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const draft = await m.propose(garage.staff.token, { submit: false });
    expect(draft.status).toBe('draft');
    expect(ids(await m.catalog(m.committee.token, { status: 'pending_approval' }))).toEqual([]);
    expect(ids(await m.catalog(garage.staff.token, { status: 'draft' }))).toEqual([draft.id]);

    const submitted = await m.patchOffer(garage.staff.token, draft.id, { status: 'pending_approval' });
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.json.status).toBe('pending_approval');
    expect(ids(await m.catalog(m.committee.token, { status: 'pending_approval' }))).toEqual([draft.id]);
  });

  it('the committee can add an offer for any partner; partner staff see only their own queue', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const school = await m.addPartner({ kind: 'training_school' });
    const forSchool = await m.propose(m.committee.token, { partnerId: school.id, category: 'training', title: 'Night driving course' });
    expect(forSchool).toMatchObject({ status: 'pending_approval', partner: { id: school.id, kind: 'training_school' } });
    const forGarage = await m.propose(garage.staff.token);

    expect(ids(await m.catalog(school.staff.token, { status: 'pending_approval' }))).toEqual([forSchool.id]);
    expect(ids(await m.catalog(garage.staff.token, { status: 'pending_approval' }))).toEqual([forGarage.id]);
    expect(ids(await m.catalog(m.committee.token, { status: 'pending_approval' })).sort()).toEqual([forSchool.id, forGarage.id].sort());
  });

  it('pause, resume, new terms and retire: the catalog follows each change at once', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver();
    const offer = await m.activeOffer(garage.staff.token);
    expect(ids(await m.catalog(driver.token))).toEqual([offer.id]);

    const paused = await m.patchOffer(garage.staff.token, offer.id, { status: 'paused' });
    expect(paused.status, paused.text).toBe(200);
    expect(paused.json.status).toBe('paused');
    expect(ids(await m.catalog(driver.token))).toEqual([]);
    expect((await m.call('GET', `/api/offers/${offer.id}`, { token: driver.token })).status).toBe(404);

    const resumed = await m.patchOffer(garage.staff.token, offer.id, { status: 'active' });
    expect(resumed.json.status).toBe('active');
    expect(ids(await m.catalog(driver.token))).toEqual([offer.id]);

    // New stock and limits are the partner's to set: the offer stays in the shop.
    const restocked = await m.patchOffer(garage.staff.token, offer.id, { stock: 40, perDriverLimit: 2, title: offer.title });
    expect(restocked.json.status).toBe('active');

    // New terms go back to the committee: out of the shop until approved again.
    const renamed = await m.patchOffer(garage.staff.token, offer.id, { title: '刹车大保养 Full brake service', price: '90.00' });
    expect(renamed.status).toBe(200);
    expect(renamed.json.status).toBe('pending_approval');
    expect(ids(await m.catalog(driver.token))).toEqual([]);
    expectProblem(await m.call('POST', '/api/redemptions', { token: driver.token, headers: { 'idempotency-key': randomUUID() }, body: { offerId: offer.id } }), 422, 'offer_not_active');
    expect((await m.call('POST', `/api/offers/${offer.id}/approve`, { token: m.committee.token })).status).toBe(200);
    expect((await m.catalog(driver.token)).items.map((o) => [o.title, o.price])).toEqual([['刹车大保养 Full brake service', '90.00']]);

    // The committee's own change to the terms needs no second approval.
    const repriced = await m.patchOffer(m.committee.token, offer.id, { price: '95.00' });
    expect(repriced.json.status).toBe('active');

    const retired = await m.patchOffer(m.committee.token, offer.id, { status: 'retired' });
    expect(retired.json.status).toBe('retired');
    expect(ids(await m.catalog(driver.token))).toEqual([]);
  });

  it('a newly approved offer shows immediately, though the catalog was just read (and cached)', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver();
    const first = await m.activeOffer(garage.staff.token, { title: 'first' });
    const second = await m.propose(garage.staff.token, { title: 'second' });
    expect(ids(await m.catalog(driver.token))).toEqual([first.id]);
    expect(ids(await m.catalog(driver.token))).toEqual([first.id]);
    await m.approve(second.id);
    expect(ids(await m.catalog(driver.token)).sort()).toEqual([first.id, second.id].sort());
  });

  it('only open offers are listed: not before validFrom, not after validTo', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver();
    const now = m.clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    const always = await m.activeOffer(garage.staff.token, { title: 'always' });
    const later = await m.activeOffer(garage.staff.token, { title: 'from tomorrow', validFrom: iso(now + DAY) });
    const brief = await m.activeOffer(garage.staff.token, { title: 'until tomorrow', validFrom: iso(now - DAY), validTo: iso(now + DAY) });
    await m.propose(garage.staff.token, { title: 'never approved' });

    expect(ids(await m.catalog(driver.token, { sort: 'price_asc' })).sort()).toEqual([always.id, brief.id].sort());
    m.clock.advance(DAY + 1);
    expect(ids(await m.catalog(driver.token)).sort()).toEqual([always.id, later.id].sort());
  });

  it('filters by category, partner, region, words and what the driver can afford', async () => {
    const m = await marketScene(current());
    const { garage, school, o } = await shelf(m);
    const driver = await m.addDriver('100.00');
    const titles = async (query: Record<string, string>) => (await m.catalog(driver.token, { ...query, sort: 'price_asc' })).items.map((x) => x.title);

    expect(await titles({ category: 'training' })).toEqual([o.refresher.title, o.course.title]);
    expect(await titles({ category: 'inspection' })).toEqual([o.emissions.title, o.annual.title]);
    expect(await titles({ partnerId: garage.id })).toEqual([o.wash.title, o.tyres.title, o.brakes.title]);
    expect(await titles({ partnerId: school.id, category: 'repair' })).toEqual([]);
    expect(await titles({ region: 'nanshan' })).toEqual([o.refresher.title, o.course.title]);
    expect(await titles({ region: 'Baoan', category: 'inspection' })).toEqual([o.emissions.title, o.annual.title]);
    // words anywhere in title, description, face value or partner name; all words must match
    expect(await titles({ q: 'brake' })).toEqual([o.refresher.title, o.brakes.title]);
    expect(await titles({ q: 'BRAKE service' })).toEqual([o.brakes.title]);
    expect(await titles({ q: '年检' })).toEqual([o.annual.title]);
    expect(await titles({ q: 'harbour' })).toEqual([o.refresher.title, o.course.title]);
    expect(await titles({ q: 'nothing-like-this' })).toEqual([]);
    expect(await titles({ affordable: 'true' })).toEqual([o.wash.title, o.emissions.title, o.tyres.title, o.annual.title]);
    expect(await titles({ affordable: 'true', category: 'inspection' })).toEqual([o.emissions.title, o.annual.title]);
    expect(await titles({ affordable: 'false' })).toHaveLength(7);
  });

  it('"affordable" leaves out offers the driver cannot take because of their grade', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver('100.00');
    const open = await m.activeOffer(garage.staff.token, { title: 'open', price: '10.00' });
    m.clock.advance(1000);
    await m.activeOffer(garage.staff.token, { title: 'AA and better', price: '10.00', minGrade: 'AA' });
    expect(ids(await m.catalog(driver.token, { affordable: 'true' }))).toEqual([open.id]);
    expect(await m.catalog(driver.token)).toMatchObject({ items: [{ title: 'AA and better', qualifies: false }, { title: 'open', qualifies: true }] });
  });

  it('sorts by price either way and by newest (the default)', async () => {
    const m = await marketScene(current());
    const { o } = await shelf(m);
    const driver = await m.addDriver();
    const prices = async (sort?: string) => (await m.catalog(driver.token, sort ? { sort } : {})).items.map((x) => x.price);
    expect(await prices('price_asc')).toEqual(['25.50', '40.00', '60.00', '99.99', '120.00', '180.00', '240.00']);
    expect(await prices('price_desc')).toEqual(['240.00', '180.00', '120.00', '99.99', '60.00', '40.00', '25.50']);
    const newest = [o.emissions, o.annual, o.refresher, o.course, o.wash, o.tyres, o.brakes].map((x) => x.id);
    expect(ids(await m.catalog(driver.token, { sort: 'newest' }))).toEqual(newest);
    expect(ids(await m.catalog(driver.token))).toEqual(newest);
  });

  it('pages with a cursor: every offer exactly once, in order, for every sort', async () => {
    const m = await marketScene(current());
    await shelf(m);
    const driver = await m.addDriver();
    for (const sort of ['price_asc', 'price_desc', 'newest']) {
      const whole = ids(await m.catalog(driver.token, { sort, limit: 100 }));
      expect(whole).toHaveLength(7);
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Array<{ id: string }>; nextCursor: string | null } = await m.catalog(driver.token, { sort, limit: 3, ...(cursor ? { cursor } : {}) });
        sizes.push(page.items.length);
        seen.push(...ids(page));
        cursor = page.nextCursor;
      } while (cursor);
      expect(sizes, sort).toEqual([3, 3, 1]);
      expect(seen, sort).toEqual(whole);
      expect(new Set(seen).size).toBe(7);
    }
    // a page that ends exactly at the end has no next cursor
    const exact = await m.catalog(driver.token, { limit: 7 });
    expect(exact.items).toHaveLength(7);
    expect(exact.nextCursor).toBeNull();
  });

  it('stock can be raised or lowered down to the vouchers already out, keeping those counted', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver('1000.00');
    const offer = await m.activeOffer(garage.staff.token, { stock: 10, price: '10.00' });
    await m.voucher(driver.token, offer.id);
    await m.voucher(driver.token, offer.id);

    const raised = await m.patchOffer(garage.staff.token, offer.id, { stock: 12 });
    expect(raised.status, raised.text).toBe(200);
    expect(raised.json).toMatchObject({ stockTotal: 12, stockLeft: 10 });

    const lowest = await m.patchOffer(garage.staff.token, offer.id, { stock: 2 });
    expect(lowest.status, lowest.text).toBe(200);
    expect(lowest.json).toMatchObject({ stockTotal: 2, stockLeft: 0 });
    expect((await m.redeem(driver.token, offer.id)).json.code).toBe('out_of_stock');
  });
});
