import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { expectProblem } from '../support/problems';

/**
 * Cursors the fuzzer found: shaped like ours, so they passed the shape check, but holding a time
 * or an id PostgreSQL cannot read (year +275760, a 36-dash "uuid", a leg past smallint, an
 * audit id past bigint). Each failed inside the query as a 500; each must be a 400 on `cursor`.
 */
const cursor = (position: object) => Buffer.from(JSON.stringify(position)).toString('base64url');
const UUID = '0196f0a4-8c3e-7b1a-9d2e-3f4a5b6c7d8e';

const timeIdCursors = [
  { at: '+275760-09-12T23:59:59.982Z', id: UUID },
  { at: '-271821-04-20T00:00:00.000Z', id: UUID },
  { at: '0000-01-01T00:00:00.000Z', id: UUID },
  { at: '2026-02-30T00:00:00.000Z', id: UUID },
  { at: 'Tue Jun 01 2026', id: UUID },
];

const cases: Array<{ url: string; role: 'driver' | 'committee'; positions: object[] }> = [
  { url: '/api/me/notifications', role: 'driver', positions: timeIdCursors },
  { url: '/api/appeals', role: 'committee', positions: timeIdCursors },
  { url: '/api/grid-reports', role: 'committee', positions: timeIdCursors },
  { url: '/api/volunteering/imports', role: 'committee', positions: timeIdCursors },
  { url: '/api/safety-events', role: 'committee', positions: timeIdCursors },
  {
    url: '/api/me/statement',
    role: 'driver',
    positions: [
      { at: '+275760-09-12T23:59:59.982Z', transferId: UUID, leg: 0 },
      { at: '2026-06-01T08:00:00.000Z', transferId: '-'.repeat(36), leg: 0 },
      { at: '2026-06-01T08:00:00.000Z', transferId: UUID, leg: 1e300 },
      { at: '2026-06-01T08:00:00.000Z', transferId: UUID, leg: 40_000 },
    ],
  },
  {
    url: '/api/ledger/transfers',
    role: 'committee',
    positions: [
      { at: '-000001-01-01T00:00:00.000Z', transferId: UUID, leg: 0 },
      { at: '2026-06-01T08:00:00.000Z', transferId: '0'.repeat(36), leg: 0 },
    ],
  },
  { url: '/api/drivers', role: 'committee', positions: [{ name: 'a', id: '-'.repeat(36) }] },
  {
    url: '/api/audit-log',
    role: 'committee',
    positions: [
      { at: '2026-06-01T08:00:00.000000Z', id: '9999999999999999999' },
      { at: '+275760-09-12T23:59:59.982Z', id: '1' },
    ],
  },
];

describeEachBackend('http: cursors shaped like ours but holding values PostgreSQL cannot read', (db) => {
  it('every list answers 400 on cursor, never a 500', async () => {
    const t = testApp(db());
    const tokens = { driver: (await t.signedIn('driver')).token, committee: (await t.signedIn('committee')).token };
    for (const c of cases) {
      for (const position of c.positions) {
        const res = await t.call('GET', `${c.url}?cursor=${cursor(position)}`, { token: tokens[c.role] });
        const problem = expectProblem(res, 400, 'validation_failed');
        expect(problem.errors?.map((e) => e.path), `${c.url} ${JSON.stringify(position)}`).toEqual(['cursor']);
      }
    }
  });

  it('the cursors the lists hand out are still accepted', async () => {
    const t = testApp(db());
    const committee = await t.signedIn('committee');
    for (let i = 0; i < 3; i++) await t.signedIn('driver');
    const first = await t.call('GET', '/api/drivers?limit=1', { token: committee.token });
    expect(first.status).toBe(200);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await t.call('GET', `/api/drivers?limit=1&cursor=${first.json.nextCursor}`, { token: committee.token });
    expect(second.status, second.text).toBe(200);
  });
});
