// The catalog cache, pure: one load serves everyone within the TTL, and a change invalidates it
// even while a load that read the old rows is still on its way.

import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { CatalogCache, type CatalogOffer } from '../../api/market/offers';

const db = {} as Db;
const offer = (title: string) => ({ id: title, title }) as unknown as CatalogOffer;

/** A loader whose every call waits until the test resolves it. */
function controlledLoader() {
  const calls: Array<(list: CatalogOffer[]) => void> = [];
  const load = () => new Promise<CatalogOffer[]>((resolve) => calls.push(resolve));
  return { load, calls };
}

describe('market: the catalog cache', () => {
  it('concurrent readers share one load, and later readers within the TTL hit memory', async () => {
    const { load, calls } = controlledLoader();
    const cache = new CatalogCache(60_000, load);
    const a = cache.activeOffers(db);
    const b = cache.activeOffers(db);
    expect(calls).toHaveLength(1);
    calls[0]!([offer('brakes')]);
    expect((await a).map((o) => o.title)).toEqual(['brakes']);
    expect((await b).map((o) => o.title)).toEqual(['brakes']);
    expect((await cache.activeOffers(db)).map((o) => o.title)).toEqual(['brakes']);
    expect(calls).toHaveLength(1);
  });

  it('invalidate() makes the next reader load again', async () => {
    const { load, calls } = controlledLoader();
    const cache = new CatalogCache(60_000, load);
    const first = cache.activeOffers(db);
    calls[0]!([offer('brakes')]);
    await first;
    cache.invalidate();
    const second = cache.activeOffers(db);
    expect(calls).toHaveLength(2);
    calls[1]!([offer('brakes'), offer('tyres')]);
    expect((await second).map((o) => o.title)).toEqual(['brakes', 'tyres']);
  });

  it('a load that started before a change is not kept, and readers after the change do not wait for it', async () => {
    const { load, calls } = controlledLoader();
    const cache = new CatalogCache(60_000, load);
    const before = cache.activeOffers(db); // reads the catalog as it was
    cache.invalidate(); // … while an offer is approved
    const after = cache.activeOffers(db);
    expect(calls, 'a reader after the change starts its own load').toHaveLength(2);
    calls[1]!([offer('brakes'), offer('new')]);
    calls[0]!([offer('brakes')]);
    expect((await before).map((o) => o.title)).toEqual(['brakes']);
    expect((await after).map((o) => o.title)).toEqual(['brakes', 'new']);
    expect((await cache.activeOffers(db)).map((o) => o.title), 'the stale load did not overwrite the fresh one').toEqual(['brakes', 'new']);
    expect(calls).toHaveLength(2);
  });

  it('a stale load that finishes last does not become the cached catalog', async () => {
    const { load, calls } = controlledLoader();
    const cache = new CatalogCache(60_000, load);
    const before = cache.activeOffers(db);
    cache.invalidate();
    calls[0]!([offer('old')]);
    await before;
    const next = cache.activeOffers(db);
    expect(calls).toHaveLength(2);
    calls[1]!([offer('old'), offer('new')]);
    expect((await next).map((o) => o.title)).toEqual(['old', 'new']);
  });

  it('entries older than the TTL are loaded again; a failed load is not cached', async () => {
    let n = 0;
    const cache = new CatalogCache(0, async () => {
      n++;
      if (n === 2) throw new Error('database went away');
      return [offer(`load ${n}`)];
    });
    expect((await cache.activeOffers(db))[0]!.title).toBe('load 1');
    await expect(cache.activeOffers(db)).rejects.toThrow('database went away');
    expect((await cache.activeOffers(db))[0]!.title).toBe('load 3');
  });

  it('a reload that finds the same offers keeps the list it had, so pages made from it stay good; any changed value makes a new one', async () => {
    const row = (stockLeft: number, price = '10.00', validTo = '2026-07-01T00:00:00Z') =>
      ({ id: 'o1', title: 'Brakes', stockLeft, price: new Decimal(price), validTo: new Date(validTo), minGrade: null }) as unknown as CatalogOffer;
    const answers = [[row(5)], [row(5)], [row(4)], [row(4, '10.0')], [row(4, '10.01')], [row(4, '10.01', '2026-07-02T00:00:00Z')], [row(4, '10.01', '2026-07-02T00:00:00Z'), row(1)]];
    let n = 0;
    const cache = new CatalogCache(0, async () => answers[n++]!);
    const lists = [];
    for (let i = 0; i < answers.length; i++) lists.push(await cache.activeOffers(db));
    expect(lists[1], 'same values, new objects from the database').toBe(lists[0]);
    expect(lists[2], 'stock changed').not.toBe(lists[1]);
    expect(lists[3], '10.0 and 10.00 are the same points').toBe(lists[2]);
    expect(lists[4], 'price changed').not.toBe(lists[3]);
    expect(lists[5], 'window changed').not.toBe(lists[4]);
    expect(lists[6], 'an offer more').not.toBe(lists[5]);
    expect(lists[6]!.map((o) => o.stockLeft)).toEqual([4, 1]);
  });
});
