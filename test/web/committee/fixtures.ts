import type { Appeal, Claim, Report, ReportDetail } from '../../../web/src/committee/queues/api';

export const committee = { id: 'u-committee', role: 'committee', name: 'Zhou Min', phone: '13800000001' };

let serial = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++serial).padStart(12, '0')}`;

export function claim(overrides: Partial<Claim> = {}): Claim {
  return {
    id: uuid(),
    driver: { id: uuid(), name: 'Li Wei', phone: '13900000001' },
    event: 'Exam day convoy',
    organiser: 'Baoan Transport Association',
    date: '2026-06-07',
    hours: '4.00',
    status: 'submitted',
    reason: null,
    photoId: null,
    decidedBy: null,
    decidedAt: null,
    importId: null,
    importLine: null,
    createdAt: '2026-06-08T02:00:00.000Z',
    payment: null,
    ...overrides,
  };
}

export function report(overrides: Partial<Report> = {}): Report {
  const id = overrides.id ?? uuid();
  const photoId = uuid();
  return {
    id,
    driverId: uuid(),
    driverName: 'Wang Jun',
    photoId,
    photoUrl: `/api/photos/${photoId}`,
    lat: 22.543096,
    lng: 114.057865,
    category: 'pothole',
    note: 'Deep pothole in the inside lane',
    status: 'submitted',
    department: null,
    likelyDuplicateOf: null,
    duplicateOf: null,
    verifiedAt: null,
    createdAt: '2026-06-08T02:00:00.000Z',
    updatedAt: '2026-06-08T02:00:00.000Z',
    ...overrides,
  };
}

export function detail(base: Report, overrides: Partial<ReportDetail> = {}): ReportDetail {
  return {
    ...base,
    history: [{ from: null, to: 'submitted', actor: null, note: null, department: null, at: base.createdAt }],
    duplicateHint: null,
    payment: null,
    ...overrides,
  };
}

export function appeal(overrides: Partial<Appeal> = {}): Appeal {
  return {
    id: uuid(),
    driver: { id: uuid(), name: 'Chen Hao' },
    subjectType: 'volunteer_claim',
    subjectId: uuid(),
    subject: { status: 'rejected', summary: 'Exam day convoy, 4.00 h on 2026-05-20 — rejected: no sign-in record' },
    reason: 'The sign-in sheet was lost; the group photo shows me there.',
    status: 'open',
    decisionNote: null,
    decidedBy: null,
    decidedAt: null,
    payment: null,
    createdAt: '2026-06-08T02:00:00.000Z',
    ...overrides,
  };
}
