import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../db/client';
import { PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';

describeEachBackend('ledger over HTTP', (current) => {
  async function scene() {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const driver = await t.signedIn('driver');
    const adjust = (amount: string, key = randomUUID(), reason = 'goodwill after a lost claim') =>
      t.call('POST', '/api/ledger/adjustments', {
        token: committee.token,
        headers: { 'idempotency-key': key },
        body: { driverId: driver.id, amount, reason },
      });
    return { ...t, committee, driver, adjust };
  }

  it('a driver sees their wallet and statement after a committee adjustment', async () => {
    const { call, driver, adjust } = await scene();
    const res = await adjust('120.50');
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ transferId: expect.any(String), replayed: false });

    const wallet = await call('GET', '/api/me/wallet', { token: driver.token });
    expect(wallet.status).toBe(200);
    expect(wallet.json).toMatchObject({ available: '120.50', held: '0.00', lifetimeEarned: '120.50', grade: 'B' });

    const statement = await call('GET', '/api/me/statement', { token: driver.token });
    expect(statement.json.lines).toHaveLength(1);
    expect(statement.json.lines[0]).toMatchObject({ code: 'adjust', amount: '120.50', balanceAfter: '120.50', reason: 'goodwill after a lost claim' });
  });

  it('an adjustment retried with the same Idempotency-Key is applied once and audited once', async () => {
    const { adjust, call, driver, db } = await scene();
    const key = randomUUID();
    const first = await adjust('10.00', key);
    const second = await adjust('10.00', key);
    expect(second.status).toBe(201);
    expect(second.json).toEqual({ transferId: first.json.transferId, replayed: true });
    expect((await call('GET', '/api/me/wallet', { token: driver.token })).json.available).toBe('10.00');
    const audits = await queryRows(db, sql`select * from audit_log where action = 'ledger.adjust' and target_id = ${driver.id}`);
    expect(audits).toHaveLength(1);

    const changed = await adjust('11.00', key);
    expect(changed.status).toBe(409);
    expect(changed.json.code).toBe('idempotency_conflict');
  });

  it('taking back more than the driver has is a 422 and changes nothing', async () => {
    const { adjust, call, driver, db } = await scene();
    await adjust('5.00');
    const res = await adjust('-5.01');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json.code).toBe('insufficient_funds');
    expect((await call('GET', '/api/me/wallet', { token: driver.token })).json.available).toBe('5.00');
    const audits = await queryRows(db, sql`select 1 from audit_log where action = 'ledger.adjust' and target_id = ${driver.id}`);
    expect(audits).toHaveLength(1);
  });

  it('an adjustment needs an Idempotency-Key, a reason and a decimal-string amount', async () => {
    const { call, committee, driver } = await scene();
    const noKey = await call('POST', '/api/ledger/adjustments', { token: committee.token, body: { driverId: driver.id, amount: '1.00', reason: 'test' } });
    expect(noKey.status).toBe(400);
    expect(noKey.json.errors.map((e: { path: string }) => e.path)).toContain('idempotency-key');
    const headers = { 'idempotency-key': randomUUID() };
    for (const amount of [1, '1.001', '0', 'abc', '-0.00', '1e3']) {
      const res = await call('POST', '/api/ledger/adjustments', { token: committee.token, headers, body: { driverId: driver.id, amount, reason: 'test' } });
      expect(res.status, `amount ${JSON.stringify(amount)}`).toBe(400);
    }
    const noReason = await call('POST', '/api/ledger/adjustments', { token: committee.token, headers, body: { driverId: driver.id, amount: '1.00' } });
    expect(noReason.status).toBe(400);
    const unknownDriver = await call('POST', '/api/ledger/adjustments', { token: committee.token, headers, body: { driverId: randomUUID(), amount: '1.00', reason: 'test' } });
    expect(unknownDriver.status).toBe(404);
  });

  it('a reversal is recorded once, audited, and shows on the statement', async () => {
    const { adjust, call, committee, driver } = await scene();
    const { transferId } = (await adjust('30.00')).json;
    const reverse = (key: string) =>
      call('POST', `/api/ledger/transfers/${transferId}/reverse`, { token: committee.token, headers: { 'idempotency-key': key }, body: { reason: 'entered twice' } });
    const first = await reverse(randomUUID());
    expect(first.status).toBe(201);
    const again = await reverse(randomUUID());
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('already_reversed');
    const wallet = await call('GET', '/api/me/wallet', { token: driver.token });
    expect(wallet.json).toMatchObject({ available: '0.00', lifetimeEarned: '0.00' });
    const lines = (await call('GET', '/api/me/statement', { token: driver.token })).json.lines;
    expect(lines.map((l: { code: string; amount: string }) => [l.code, l.amount])).toEqual([
      ['reversal', '-30.00'],
      ['adjust', '30.00'],
    ]);
  });

  it('the committee reads accounts, transfers, the trial balance and the verification report', async () => {
    const { adjust, call, committee } = await scene();
    await adjust('7.00');
    await adjust('3.00');
    const tb = await call('GET', '/api/ledger/trial-balance', { token: committee.token });
    expect(tb.json).toMatchObject({ balanced: true, total: '0.00', postings: 4 });
    const issuance = await call('GET', `/api/ledger/accounts/${PROGRAMME_ACCOUNTS.issuance}`, { token: committee.token });
    expect(issuance.json).toMatchObject({ kind: 'issuance', bounded: false, posted: '-10.00' });
    expect(issuance.json.statement.lines.map((l: { balanceAfter: string }) => l.balanceAfter)).toEqual(['-10.00', '-7.00']);
    const transfers = await call('GET', '/api/ledger/transfers?limit=1&code=adjust', { token: committee.token });
    expect(transfers.json.items).toHaveLength(1);
    expect(transfers.json.nextCursor).toEqual(expect.any(String));
    const next = await call('GET', `/api/ledger/transfers?limit=1&code=adjust&cursor=${transfers.json.nextCursor}`, { token: committee.token });
    expect(next.json.items[0].id).not.toBe(transfers.json.items[0].id);
    const verify = await call('GET', '/api/ledger/verify', { token: committee.token });
    expect(verify.json.ok).toBe(true);
    expect(verify.json.checks.length).toBeGreaterThanOrEqual(8);
  });

  it('drivers cannot reach committee ledger routes, and nobody reaches them signed out', async () => {
    const { call, driver } = await scene();
    for (const path of ['/api/ledger/trial-balance', `/api/ledger/accounts/${PROGRAMME_ACCOUNTS.issuance}`, '/api/ledger/transfers']) {
      expect((await call('GET', path, { token: driver.token })).status).toBe(403);
      expect((await call('GET', path)).status).toBe(401);
    }
    const res = await call('POST', '/api/ledger/adjustments', {
      token: driver.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { driverId: driver.id, amount: '1000.00', reason: 'free points' },
    });
    expect(res.status).toBe(403);
  });

  it('a garbled cursor is a 400, not a 500', async () => {
    const { call, driver } = await scene();
    const res = await call('GET', '/api/me/statement?cursor=not-a-cursor', { token: driver.token });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('validation_failed');
  });
});
