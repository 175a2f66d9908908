// The shop-view cache, pure: a driver's grade and points are read once per moment, a forget (the
// driver redeemed or cancelled here) makes the next read fresh, and a read that was on its way
// when the driver was forgotten is answered but not kept.

import Decimal from 'decimal.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client';
import { ShopViewCache, type ShopView } from '../../api/market/offers';
import { DEFAULT_BENEFITS } from '../../api/rating/benefits';

const db = {} as Db;
const view = (available: string): ShopView => ({ grade: 'A', available: new Decimal(available), benefits: DEFAULT_BENEFITS });

/** A loader whose every call waits until the test answers it. */
function controlledLoader() {
  const calls: Array<{ driverId: string; answer: (v: ShopView) => void }> = [];
  const load = (_db: Db, driverId: string) => new Promise<ShopView>((answer) => calls.push({ driverId, answer }));
  return { load, calls };
}

async function read(cache: ShopViewCache, calls: ReturnType<typeof controlledLoader>['calls'], driverId: string, fresh?: string) {
  const pending = cache.get(db, driverId);
  if (fresh !== undefined) calls[calls.length - 1]!.answer(view(fresh));
  return (await pending).available!.toFixed(2);
}

describe('market: the shop-view cache', () => {
  afterEach(() => vi.useRealTimers());

  it('reads a driver once within the TTL, each driver separately, and again once it has passed', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const { load, calls } = controlledLoader();
    const cache = new ShopViewCache(2_000, load);
    expect(await read(cache, calls, 'ann', '100')).toBe('100.00');
    expect(await read(cache, calls, 'ann')).toBe('100.00');
    expect(await read(cache, calls, 'bo', '7')).toBe('7.00');
    expect(calls.map((c) => c.driverId)).toEqual(['ann', 'bo']);
    vi.advanceTimersByTime(2_000);
    expect(await read(cache, calls, 'ann', '90')).toBe('90.00');
    expect(calls).toHaveLength(3);
  });

  it('forget() makes the next read of that driver fresh, and only of that driver', async () => {
    const { load, calls } = controlledLoader();
    const cache = new ShopViewCache(60_000, load);
    await read(cache, calls, 'ann', '100');
    await read(cache, calls, 'bo', '7');
    cache.forget('ann');
    expect(await read(cache, calls, 'ann', '40')).toBe('40.00');
    expect(await read(cache, calls, 'bo')).toBe('7.00');
    expect(calls).toHaveLength(3);
  });

  it('a read on its way when the driver is forgotten answers its caller but is not kept', async () => {
    const { load, calls } = controlledLoader();
    const cache = new ShopViewCache(60_000, load);
    const before = cache.get(db, 'ann'); // a catalog page reads the points …
    cache.forget('ann'); // … while the driver's redeem commits
    calls[0]!.answer(view('100'));
    expect((await before).available!.toFixed(2)).toBe('100.00');
    expect(await read(cache, calls, 'ann', '40')).toBe('40.00');
    expect(await read(cache, calls, 'ann')).toBe('40.00');
    expect(calls).toHaveLength(2);
  });

  it('keeps at most maxDrivers views, dropping the oldest', async () => {
    const { load, calls } = controlledLoader();
    const cache = new ShopViewCache(60_000, load, 2);
    await read(cache, calls, 'ann', '1');
    await read(cache, calls, 'bo', '2');
    await read(cache, calls, 'cy', '3');
    await read(cache, calls, 'bo');
    expect(calls).toHaveLength(3);
    expect(await read(cache, calls, 'ann', '1')).toBe('1.00');
    expect(calls).toHaveLength(4);
  });
});
