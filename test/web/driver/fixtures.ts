import type { Notification, Offer, Rating, Redemption, StatementLine, Wallet } from '../../../web/src/driver/api';

export const driver = {
  id: '405e18c5-f539-41d1-ae7c-cd13df9fcdfd',
  role: 'driver' as const,
  name: '王建国 Wang Jianguo',
  phone: '13900000001',
  plateNumber: '粤B·D1234',
  partnerId: null,
};

const garage = { id: '3bd972ac-e31e-427d-a270-24abda9798d9', name: '顺达汽修 Shunda Garage', kind: 'garage', region: 'Baoan' };

export function offer(overrides: Partial<Offer> = {}): Offer {
  return {
    id: '2d5964ca-3d33-4984-9c75-bef10b1354f1',
    partner: garage,
    category: 'repair',
    title: 'Brake service',
    description: 'Pads and discs checked; pads replaced if below 3 mm.',
    faceValue: '¥200 off brake service',
    price: '180.00',
    yourPrice: '162.00',
    qualifies: true,
    affordable: true,
    stockTotal: 50,
    stockLeft: 49,
    perDriverLimit: 1,
    limitPeriod: 'month',
    validFrom: null,
    validTo: '2026-12-31T15:59:59.000Z',
    minGrade: null,
    status: 'active',
    createdAt: '2026-11-01T08:00:00.000Z',
    ...overrides,
  };
}

export function voucher(overrides: Partial<Redemption> = {}): Redemption {
  return {
    id: 'd66e644f-111a-47d4-80cc-35422a173368',
    offerId: '2d5964ca-3d33-4984-9c75-bef10b1354f1',
    offerTitle: 'Brake service',
    faceValue: '¥200 off brake service',
    partner: { id: garage.id, name: garage.name, address: '12 Harbour Road' },
    code: 'K7MQ2-XW9PR',
    qr: 'data:image/svg+xml;base64,PHN2Zy8+',
    price: '162.00',
    captured: null,
    status: 'held',
    expiresAt: '2099-12-22T04:00:00.000Z',
    createdAt: '2026-11-22T04:00:00.000Z',
    resolvedAt: null,
    ...overrides,
  };
}

export const wallet: Wallet = {
  accountId: 'e64faea0-db0d-4a66-9850-397bcae4c0e9',
  available: '979.50',
  held: '36.00',
  posted: '1015.50',
  lifetimeEarned: '1335.50',
  grade: 'AA',
};

const breakdown: Rating['breakdown'] = {
  window: { days: 365, from: '2025-11-22T04:00:00.000Z', to: '2026-11-22T04:00:00.000Z' },
  safety: {
    points: '45.00',
    max: '50',
    deductions: [
      { event: 'minor_violation', count: 1, each: '5', points: '5.00' },
      { event: 'major_violation', count: 0, each: '15', points: '0.00' },
      { event: 'at_fault_accident', count: 0, each: '20', points: '0.00' },
      { event: 'serious_accident', count: 0, each: '50', points: '0.00' },
    ],
  },
  volunteering: { points: '22.50', max: '30', hours: '15.00', countedHours: '15.00', pointsPerHour: '1.5', maxHours: '20' },
  reporting: { points: '6.00', max: '20', verifiedReports: 3, countedReports: 3, pointsPerReport: '2', maxReports: 10 },
  streak: { since: '2026-11-03T04:00:00.000Z', days: 19 },
};

export function rating(overrides: Partial<Rating> = {}): Rating {
  return {
    driverId: driver.id,
    grade: 'AA',
    score: '81.00',
    asOf: '2026-11-22T04:00:00.000Z',
    policyVersion: 1,
    benefits: { earningMultiplier: '1.1', priceDiscount: '0.05' },
    breakdown,
    next: {
      grade: 'AAA',
      minScore: '85',
      steps: [
        { kind: 'score', text: '2 more verified reports (score 85.00 needed, you have 81.00)', moreHours: 0, moreReports: 2 },
        { kind: 'minStreakDays', text: 'your violation-free streak reaches 100 days on 2027-02-11 (it is 19 days now)', on: '2027-02-11' },
      ],
      summary: 'For AAA: 2 more verified reports; your violation-free streak reaches 100 days on 2027-02-11.',
    },
    history: [
      {
        at: '2026-11-18T02:00:00.000Z',
        grade: 'AA',
        previousGrade: 'A',
        score: '81.00',
        previousScore: '72.50',
        policyVersion: 1,
        cause: 'activity',
        breakdown,
      },
    ],
    ...overrides,
  };
}

export function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: '94481c47-4545-4398-ac6c-acad09836d4d',
    kind: 'points_expiring',
    title: '70.00 points expire on 2027-01-10',
    body: '70.00 of your points expire on 2027-01-10. Spend them in the points mall before then.',
    data: { points: '70.00', expiresOn: '2027-01-10' },
    read: false,
    readAt: null,
    createdAt: '2026-12-11T02:00:00.000Z',
    ...overrides,
  };
}

export function line(overrides: Partial<StatementLine> = {}): StatementLine {
  return {
    transferId: '01a2050e-7981-7001-b4fc-c695996d307e',
    leg: 0,
    type: 'posted',
    code: 'earn.volunteering',
    reason: 'Beach clean-up, 4 hours',
    refType: 'earning',
    refId: 'e1',
    amount: '60.00',
    pending: false,
    balanceAfter: '1015.50',
    createdAt: '2026-11-20T02:00:00.000Z',
    ...overrides,
  };
}

/** The query string of the calls to `path`, one URLSearchParams each. */
export function queriesOf(calls: { method: string; path: string }[], method: string, path: string): URLSearchParams[] {
  return calls
    .filter((c) => c.method === method && c.path.split('?')[0] === path)
    .map((c) => new URLSearchParams(c.path.split('?')[1] ?? ''));
}
