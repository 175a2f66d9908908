// GET /api/drivers?q=: the committee finds a driver by part of the name, phone or plate, in any
// case and however the plate is written; pages go by name; only drivers, only for the committee.

import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends';
import { expectProblem } from '../support/problems';
import { marketScene } from '../market/market-support';

describeEachBackend('drivers: search', (current) => {
  async function scene() {
    const m = await marketScene(current());
    const alice = await m.addDriver('120.50', { name: 'Alice Chen 陈爱丽', plateNumber: '粤B·A1001' });
    const bo = await m.addDriver('0.00', { name: 'Bo Wang', plateNumber: '粤B KX421' });
    const carl = await m.addDriver('7.00', { name: 'Carl 100%_Sure', plateNumber: '湘A·C3003' });
    return { m, alice, bo, carl };
  }

  const search = async (m: Awaited<ReturnType<typeof marketScene>>, query: string) => {
    const res = await m.call('GET', `/api/drivers${query}`, { token: m.committee.token });
    expect(res.status, res.text).toBe(200);
    return res.json as { items: any[]; nextCursor: string | null };
  };
  const names = async (m: Awaited<ReturnType<typeof marketScene>>, q: string) => (await search(m, `?q=${encodeURIComponent(q)}`)).items.map((d) => d.name);

  it('each hit: id, name, phone, plate, grade and available points', async () => {
    const { m, alice } = await scene();
    const { items, nextCursor } = await search(m, '?q=alice');
    expect(nextCursor).toBeNull();
    expect(items).toEqual([{ id: alice.id, name: 'Alice Chen 陈爱丽', phone: alice.phone, plateNumber: '粤B·A1001', grade: null, available: '120.50' }]);
    expect((await m.call('GET', `/api/drivers/${alice.id}/rating`, { token: m.committee.token })).status).toBe(200);
    expect((await search(m, '?q=alice')).items[0].grade).toBe('B');
  });

  it('by part of the name (any case, Chinese too), phone or plate (separators ignored)', async () => {
    const { m, bo } = await scene();
    expect(await names(m, 'CHEN')).toEqual(['Alice Chen 陈爱丽']);
    expect(await names(m, '爱丽')).toEqual(['Alice Chen 陈爱丽']);
    expect(await names(m, bo.phone.slice(-6))).toEqual(['Bo Wang']);
    expect(await names(m, 'kx421')).toEqual(['Bo Wang']);
    expect(await names(m, 'B KX42')).toEqual(['Bo Wang']);
    expect(await names(m, '粤B·KX')).toEqual(['Bo Wang']);
    expect(await names(m, 'ba1001')).toEqual(['Alice Chen 陈爱丽']);
    expect(await names(m, '粤b')).toEqual(['Alice Chen 陈爱丽', 'Bo Wang']);
  });

  it('% and _ are plain characters, not wildcards', async () => {
    const { m } = await scene();
    expect(await names(m, '100%_')).toEqual(['Carl 100%_Sure']);
    expect(await names(m, '%')).toEqual(['Carl 100%_Sure']);
    expect(await names(m, 'o_W')).toEqual([]);
  });

  it('without q, every driver by name; pages follow the cursor, each driver once; staff and committee are not drivers', async () => {
    const { m } = await scene();
    const all = await search(m, '');
    expect(all.items.map((d) => d.name)).toEqual(['Alice Chen 陈爱丽', 'Bo Wang', 'Carl 100%_Sure']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p = await search(m, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.items.length).toBeLessThanOrEqual(2);
      seen.push(...p.items.map((d) => d.name));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Alice Chen 陈爱丽', 'Bo Wang', 'Carl 100%_Sure']);
    expect(await names(m, 'committee')).toEqual([]);
    expect((await search(m, '?q=')).items).toHaveLength(3);
  });

  it('bad parameters are problems; search is for the committee only', async () => {
    const { m, alice } = await scene();
    const staff = (await m.addPartner()).staff;
    expectProblem(await m.call('GET', '/api/drivers?cursor=zzz', { token: m.committee.token }), 400, 'validation_failed');
    expectProblem(await m.call('GET', '/api/drivers?limit=1000', { token: m.committee.token }), 400, 'validation_failed');
    expectProblem(await m.call('GET', `/api/drivers?q=${'x'.repeat(101)}`, { token: m.committee.token }), 400, 'validation_failed');
    expectProblem(await m.call('GET', '/api/drivers?q=a'), 401, 'unauthenticated');
    expectProblem(await m.call('GET', '/api/drivers?q=a', { token: alice.token }), 403, 'forbidden');
    expectProblem(await m.call('GET', '/api/drivers?q=a', { token: staff.token }), 403, 'forbidden');
  });
});
