// Shared fakes for the console's insight pages (not a test file itself).

export const committee = { id: 'c1', role: 'committee', name: 'Zhou Min', phone: '13800000001' };

/** A summary as GET /api/reports/summary sends it: 31 May – 3 June. */
export function summary() {
  return {
    from: '2026-05-31',
    to: '2026-06-04',
    timeZone: 'Asia/Shanghai',
    asOf: '2026-06-03T04:00:00.000Z',
    issued: '1780.00',
    redeemed: '140.00',
    redemptions: 2,
    expired: '5.00',
    held: '50.00',
    openHolds: 1,
    outstanding: '12635.50',
    byCategory: [
      { key: 'repair', redemptions: 1, points: '100.00' },
      { key: 'training', redemptions: 1, points: '40.00' },
      { key: 'inspection', redemptions: 0, points: '0.00' },
      { key: 'other', redemptions: 0, points: '0.00' },
    ],
    byRegion: [
      { key: 'Baoan', redemptions: 1, points: '100.00' },
      { key: 'Nanshan', redemptions: 1, points: '40.00' },
    ],
    grades: [
      { grade: 'AAA', drivers: 3 },
      { grade: 'AA', drivers: 12 },
      { grade: 'A', drivers: 40 },
      { grade: 'B', drivers: 7 },
      { grade: 'ungraded', drivers: 2 },
    ],
    series: [
      { date: '2026-05-31', issued: '0.00', redeemed: '0.00', held: '0.00' },
      { date: '2026-06-01', issued: '1800.00', redeemed: '0.00', held: '50.00' },
      { date: '2026-06-02', issued: '-20.00', redeemed: '100.00', held: '50.00' },
      { date: '2026-06-03', issued: '0.00', redeemed: '40.00', held: '50.00' },
    ],
  };
}

export const alice = {
  id: '0b9d7a52-3c1e-4f7a-9d2b-6e5f4a3b2c1d',
  name: 'Alice Chen',
  phone: '13900000001',
  plateNumber: '粤B·A1001',
  grade: 'AA',
  available: '1250.50',
};

export const bo = { id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', name: 'Bo Wang', phone: '13900000002', plateNumber: '粤B·KX421', grade: null, available: '0.00' };

export function profile() {
  return {
    id: alice.id,
    name: alice.name,
    phone: alice.phone,
    plateNumber: alice.plateNumber,
    joinedAt: '2026-01-05T02:00:00.000Z',
    wallet: { accountId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', available: '1250.50', held: '100.00', posted: '1350.50', lifetimeEarned: '2000.00' },
    rating: { grade: 'AA', score: '74.50', ratedAt: '2026-06-01T08:00:00.000Z' },
    activities: {
      volunteering: [{ id: 'v1', event: 'Exam-day convoy', activityDate: '2026-05-20', hours: '3.50', status: 'approved', createdAt: '2026-05-20T10:00:00.000Z' }],
      gridReports: [{ id: 'g1', category: 'broken_manhole_cover', status: 'verified', createdAt: '2026-05-21T02:00:00.000Z', verifiedAt: '2026-05-22T02:00:00.000Z' }],
      safetyEvents: [{ id: 's1', kind: 'violation', severity: 'minor', occurredAt: '2026-05-22T02:00:00.000Z', voided: true }],
      earnings: [{ id: 'e1', source: 'award', points: '50.00', reason: 'Cleared the G4 at night', activityAt: '2026-05-23T02:00:00.000Z', createdAt: '2026-05-23T02:00:00.000Z' }],
      redemptions: [
        { id: 'r1', offerTitle: 'Brake service', category: 'repair', partnerName: 'Shunda Garage', price: '100.00', captured: null, status: 'held', createdAt: '2026-05-24T02:00:00.000Z', resolvedAt: null },
      ],
    },
  };
}

const breakdown = {
  window: { days: 365, from: '2025-06-01T08:00:00.000Z', to: '2026-06-01T08:00:00.000Z' },
  safety: { points: '45.00', max: '50', deductions: [{ event: 'minor_violation', count: 1, each: '5', points: '5.00' }, { event: 'serious_accident', count: 0, each: '50', points: '0.00' }] },
  volunteering: { points: '19.50', max: '30', hours: '13.00', countedHours: '13.00', pointsPerHour: '1.5', maxHours: '20' },
  reporting: { points: '10.00', max: '20', verifiedReports: 5, countedReports: 5, pointsPerReport: '2', maxReports: 10 },
  streak: { since: '2025-12-01T08:00:00.000Z', days: 182 },
};

export function rating() {
  return {
    driverId: alice.id,
    grade: 'AA',
    score: '74.50',
    asOf: '2026-06-01T08:00:00.000Z',
    policyVersion: 1,
    benefits: { earningMultiplier: '1.1', priceDiscount: '0.05' },
    breakdown,
    next: { grade: 'AAA', minScore: '85', steps: [{ kind: 'score', text: 'x', moreHours: 7, moreReports: 3 }], summary: 'x' },
    history: [{ at: '2026-05-22T02:00:00.000Z', grade: 'AA', previousGrade: 'AAA', score: '74.50', previousScore: '86.00', policyVersion: 1, cause: 'activity', breakdown }],
  };
}

export const statementLine = (n: number, amount: string, balanceAfter: string | null, code = 'earn.award') => ({
  transferId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  leg: 1,
  type: 'posted',
  code,
  reason: `line ${n}`,
  refType: null,
  refId: null,
  amount,
  pending: false,
  balanceAfter,
  createdAt: `2026-05-${String(10 + n).padStart(2, '0')}T02:00:00.000Z`,
});
