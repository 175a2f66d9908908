// Regression (authorization matrix, issue #8): only the committee and partner staff may list
// offers that are not active. An integration account (a safety-data feed) once saw every
// partner's approval queue, because the catalog refused drivers only.

import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends';
import { expectProblem } from '../support/problems';
import { marketScene } from './market-support';

describeEachBackend('market: the approval queue is hidden from integrations', (current) => {
  it('an integration account gets a 403 for every non-active status, and still sees the active catalog', async () => {
    const m = await marketScene(current());
    const garage = await m.addPartner();
    await m.propose(garage.staff.token, { title: 'not yet approved' });
    const integration = await m.signedIn('integration');

    for (const status of ['pending_approval', 'draft', 'paused', 'retired']) {
      expectProblem(await m.call('GET', `/api/offers?status=${status}`, { token: integration.token }), 403, 'forbidden');
    }
    const active = await m.call('GET', '/api/offers', { token: integration.token });
    expect(active.status, active.text).toBe(200);
    expect(active.json.items.map((o: { title: string }) => o.title)).not.toContain('not yet approved');
  });
});
