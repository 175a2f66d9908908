// A small programme over three days with known figures, for the reports suites (not a test file
// itself). Times are programme days (Asia/Shanghai, UTC+8):
//
//   06-01  fund A 500 and B 300; B redeems a 50 training voucher and keeps it open
//   06-02  A redeems a 100 repair voucher, the garage confirms; A redeems 30 and cancels;
//          the committee takes 20 back from B
//   06-03  A redeems a 40 training voucher at 00:30 (06-02 16:30 UTC), the school confirms;
//          5 of B's points expire
//
// So: issued 780 (800 − 20), redeemed 140 in 2, expired 5, held 50 in 1 open hold,
// outstanding 635 (A 360, B 275).

import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { DbHandle } from '../../db/client';
import { PROGRAMME_ACCOUNTS } from '../../api/ledger/accounts';
import { createLedger } from '../../api/ledger/ledger';
import { D, marketScene } from '../market/market-support';

export async function threeDayScene(handle: DbHandle) {
  const m = await marketScene(handle);
  m.clock.set('2026-06-01T02:00:00.000Z'); // 06-01 10:00
  const garage = await m.addPartner({ name: 'Shunda Garage', kind: 'garage', region: 'Baoan' });
  const school = await m.addPartner({ name: 'Lianhe Driving School', kind: 'training_school', region: 'Nanshan' });
  const repair = await m.activeOffer(garage.staff.token, { category: 'repair', title: 'Brake service', price: '100.00' });
  const cheapRepair = await m.activeOffer(garage.staff.token, { category: 'repair', title: 'Tyre check', price: '30.00' });
  const training = await m.activeOffer(school.staff.token, { category: 'training', title: 'Safety course', price: '50.00' });
  const shortTraining = await m.activeOffer(school.staff.token, { category: 'training', title: 'Night driving', price: '40.00' });

  const a = await m.addDriver('500.00', { name: 'Alice Chen', plateNumber: '粤B·A1001' });
  const b = await m.addDriver('300.00', { name: 'Bo Wang', plateNumber: '粤B·B2002' });
  const open = await m.voucher(b.token, training.id);

  m.clock.set('2026-06-02T03:00:00.000Z'); // 06-02 11:00
  const used = await m.voucher(a.token, repair.id);
  expect((await m.confirm(garage.staff.token, used.code)).status).toBe(200);
  const cancelled = await m.voucher(a.token, cheapRepair.id);
  expect((await m.cancel(a.token, cancelled.id)).status).toBe(200);
  const adjusted = await m.call('POST', '/api/ledger/adjustments', {
    token: m.committee.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { driverId: b.id, amount: '-20.00', reason: 'Duplicate award' },
  });
  expect(adjusted.status, adjusted.text).toBe(201);

  m.clock.set('2026-06-02T16:30:00.000Z'); // 06-03 00:30
  const late = await m.voucher(a.token, shortTraining.id);
  expect((await m.confirm(school.staff.token, late.code)).status).toBe(200);
  await createLedger(m.db, m.clock, { batching: false }).transfer({
    key: `test-expire:${randomUUID()}`,
    debit: b.wallet,
    credit: PROGRAMME_ACCOUNTS.expired,
    amount: D('5.00'),
    code: 'expire',
    reason: 'test expiry',
  });

  m.clock.set('2026-06-03T04:00:00.000Z'); // 06-03 12:00
  return { ...m, garage, school, a, b, open, offers: { repair, cheapRepair, training, shortTraining } };
}

export type ThreeDayScene = Awaited<ReturnType<typeof threeDayScene>>;
