// A driver's repeated catalog read is answered with the page they were last sent, before the query
// is parsed: only while the driver's shop view, the catalog list and the query string are the
// ones it was made from, and no offer's validity window has opened or closed since. Pure checks of
// that rule, then the app: the page again is the same bytes, and it follows the clock, a change
// to an offer, a redeem and another query at once.

import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { CatalogPages, type CatalogOffer, type ShopView } from '../../api/market/offers';
import { DEFAULT_BENEFITS } from '../../api/rating/benefits';
import { describeEachBackend } from '../support/backends';
import { DAY, ledgerSoundAfterEach, marketScene } from './market-support';

const view = (): ShopView => ({ grade: 'A', available: new Decimal('100'), benefits: DEFAULT_BENEFITS });
const offer = (validFrom: Date | null, validTo: Date | null) => ({ validFrom, validTo }) as CatalogOffer;
const at = (iso: string) => new Date(iso);

describe('market: catalog pages kept per driver', () => {
  it('gives the page back only for the same view, list and query, until a window opens or closes', () => {
    const pages = new CatalogPages();
    const v = view();
    const list = [offer(null, null), offer(at('2026-06-03T00:00:00Z'), null), offer(null, at('2026-06-02T00:00:00Z')), offer(null, at('2026-05-01T00:00:00Z'))];
    const now = at('2026-06-01T08:00:00Z');
    pages.keep('ann', { view: v, list, query: 'category=repair', body: 'page-1' }, now);

    expect(pages.find('ann', v, list, 'category=repair', now)).toBe('page-1');
    expect(pages.find('ann', v, list, 'category=repair', at('2026-06-01T23:59:59.999Z'))).toBe('page-1');
    // The earliest edge after `now` is the third offer's validTo; the past one does not count.
    expect(pages.find('ann', v, list, 'category=repair', at('2026-06-02T00:00:00Z'))).toBeUndefined();
    expect(pages.find('ann', view(), list, 'category=repair', now)).toBeUndefined();
    expect(pages.find('ann', undefined, list, 'category=repair', now)).toBeUndefined();
    expect(pages.find('ann', v, [...list], 'category=repair', now)).toBeUndefined();
    expect(pages.find('ann', v, undefined, 'category=repair', now)).toBeUndefined();
    expect(pages.find('ann', v, list, 'category=training', now)).toBeUndefined();
    expect(pages.find('bo', v, list, 'category=repair', now)).toBeUndefined();
  });

  it('keeps one page per driver, for the most recent drivers only', () => {
    const pages = new CatalogPages(2);
    const v = view();
    const list = [offer(null, null)];
    const now = at('2026-06-01T08:00:00Z');
    pages.keep('ann', { view: v, list, query: 'a', body: 'ann-a' }, now);
    pages.keep('ann', { view: v, list, query: 'b', body: 'ann-b' }, now);
    expect(pages.find('ann', v, list, 'a', now)).toBeUndefined();
    expect(pages.find('ann', v, list, 'b', now)).toBe('ann-b');
    pages.keep('bo', { view: v, list, query: 'a', body: 'bo-a' }, now);
    pages.keep('cy', { view: v, list, query: 'a', body: 'cy-a' }, now);
    expect(pages.find('ann', v, list, 'b', now)).toBeUndefined();
    expect(pages.find('bo', v, list, 'a', now)).toBe('bo-a');
    expect(pages.find('cy', v, list, 'a', now)).toBe('cy-a');
  });
});

describeEachBackend('market: the same catalog page read again', (current) => {
  ledgerSoundAfterEach(current);

  it('is the same bytes with the same headers, and another query is its own page', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver('150.00');
    await m.activeOffer(garage.staff.token, { category: 'repair', title: 'Brakes', price: '100.00' });
    await m.activeOffer(garage.staff.token, { category: 'training', title: 'Course', price: '60.00' });
    const read = (qs: string) => m.call('GET', `/api/offers?${qs}`, { token: driver.token });
    const first = await read('category=repair');
    const again = await read('category=repair');
    expect(first.status).toBe(200);
    expect(again.text).toBe(first.text);
    const headers = (h: Headers) => [...h].filter(([k]) => k !== 'x-request-id');
    expect(headers(again.headers)).toEqual(headers(first.headers));
    expect((await read('category=training')).json.items.map((o: { title: string }) => o.title)).toEqual(['Course']);
    expect((await read('category=repair')).json.items.map((o: { title: string }) => o.title)).toEqual(['Brakes']);
    // A page is kept only once it was answered: a bad query is refused however often it comes.
    expect((await read('limit=0')).status).toBe(400);
    expect((await read('limit=0')).status).toBe(400);
  });

  it('follows the clock: an offer leaves at its validTo and arrives at its validFrom, on the very same query', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver();
    const now = m.clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    await m.activeOffer(garage.staff.token, { title: 'always' });
    await m.activeOffer(garage.staff.token, { title: 'from tomorrow', validFrom: iso(now + DAY) });
    await m.activeOffer(garage.staff.token, { title: 'until noon', validTo: iso(now + 4 * 3_600_000) });
    const titles = async () => (await m.catalog(driver.token, { sort: 'price_asc' })).items.map((o) => o.title).sort();

    expect(await titles()).toEqual(['always', 'until noon']);
    expect(await titles()).toEqual(['always', 'until noon']);
    m.clock.advance(4 * 3_600_000);
    expect(await titles()).toEqual(['always']);
    m.clock.advance(DAY);
    expect(await titles()).toEqual(['always', 'from tomorrow']);
  });

  it('follows a change to an offer and the driver\'s own redeem at once', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    const driver = await m.addDriver('150.00');
    const oil = await m.activeOffer(garage.staff.token, { title: 'Oil change', price: '100.00' });
    const page = async () => (await m.catalog(driver.token)).items.map((o) => `${o.title} ${o.price} ${o.affordable}`);
    expect(await page()).toEqual(['Oil change 100.00 true']);

    // (the committee's own change: a partner's new price would take the offer out of the shop until approved)
    const repriced = await m.call('PATCH', `/api/offers/${oil.id}`, { token: m.committee.token, body: { price: '120.00' } });
    expect(repriced.status, repriced.text).toBe(200);
    expect(await page()).toEqual(['Oil change 120.00 true']);

    expect((await m.redeem(driver.token, oil.id)).status).toBe(201);
    expect(await page()).toEqual(['Oil change 120.00 false']);
  });
});
