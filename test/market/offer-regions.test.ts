// The regions a driver can filter the catalog by: only regions with an offer open now, each once,
// in order, and each one a filter the catalog accepts.

import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends';
import { DAY, ledgerSoundAfterEach, marketScene } from './market-support';

describeEachBackend('market: offer regions', (current) => {
  ledgerSoundAfterEach(current);

  it('lists each region with an open offer once, sorted; pending, paused and not-yet-valid offers do not count', async () => {
    const m = await marketScene(current());
    const driver = await m.addDriver('100.00');
    const baoan = await m.addPartner({ region: 'Baoan' });
    const baoanToo = await m.addPartner({ region: 'Baoan', kind: 'inspection_station' });
    const nanshan = await m.addPartner({ region: 'Nanshan', kind: 'training_school' });
    const futian = await m.addPartner({ region: 'Futian' });
    const longgang = await m.addPartner({ region: 'Longgang' });
    await m.activeOffer(baoan.staff.token);
    await m.activeOffer(baoanToo.staff.token, { category: 'inspection' });
    await m.activeOffer(nanshan.staff.token, { category: 'training' });
    await m.propose(futian.staff.token);
    const paused = await m.activeOffer(longgang.staff.token);
    expect((await m.patchOffer(longgang.staff.token, paused.id, { status: 'paused' })).status).toBe(200);
    await m.activeOffer(longgang.staff.token, { validFrom: new Date(m.clock.now().getTime() + DAY).toISOString() });

    const res = await m.call('GET', '/api/offer-regions', { token: driver.token });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ items: ['Baoan', 'Nanshan'] });

    const nanshanOnly = await m.catalog(driver.token, { region: res.json.items[1] });
    expect(nanshanOnly.items.map((o: { partner: { region: string } }) => o.partner.region)).toEqual(['Nanshan']);
  });

  it('asks who is calling', async () => {
    const m = await marketScene(current());
    const res = await m.call('GET', '/api/offer-regions');
    expect(res.status).toBe(401);
  });
});
