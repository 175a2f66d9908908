import type { Appeal, Claim, GridReportDetail } from '../../../web/src/earn/api';
import { reply } from '../support/render';

export const driver = { id: 'd0000000-0000-4000-8000-000000000001', role: 'driver', name: 'Li Wei', phone: '13900000001', plateNumber: '粤B12345' };

export function claim(overrides: Partial<Claim> = {}): Claim {
  return {
    id: 'c0000000-0000-4000-8000-000000000001',
    driver: { id: driver.id, name: driver.name, phone: driver.phone },
    event: 'Exam day convoy',
    organiser: 'Baoan Transport Association',
    date: '2026-05-16',
    hours: '2.50',
    status: 'submitted',
    reason: null,
    photoId: null,
    decidedBy: null,
    decidedAt: null,
    importId: null,
    importLine: null,
    createdAt: '2026-05-16T10:00:00.000Z',
    payment: null,
    ...overrides,
  };
}

export function report(overrides: Partial<GridReportDetail> = {}): GridReportDetail {
  return {
    id: 'r0000000-0000-4000-8000-000000000001',
    driverId: driver.id,
    driverName: driver.name,
    photoId: 'p0000000-0000-4000-8000-000000000001',
    photoUrl: '/api/photos/p0000000-0000-4000-8000-000000000001',
    lat: 22.543096,
    lng: 114.057865,
    category: 'pothole',
    note: 'Inside lane after the toll gate',
    status: 'submitted',
    department: null,
    likelyDuplicateOf: null,
    duplicateOf: null,
    verifiedAt: null,
    createdAt: '2026-05-01T01:00:00.000Z',
    updatedAt: '2026-05-01T01:00:00.000Z',
    history: [],
    duplicateHint: null,
    payment: null,
    ...overrides,
  };
}

export function appeal(overrides: Partial<Appeal> = {}): Appeal {
  return {
    id: 'a0000000-0000-4000-8000-000000000001',
    driver: { id: driver.id, name: driver.name },
    subjectType: 'volunteer_claim',
    subjectId: claim().id,
    subject: { status: 'rejected', summary: 'Exam day convoy, 2.50 h on 2026-05-16 — rejected: no sign-in record' },
    reason: 'The organiser can confirm I drove in the convoy.',
    status: 'open',
    decisionNote: null,
    decidedBy: null,
    decidedAt: null,
    payment: null,
    createdAt: '2026-05-20T02:00:00.000Z',
    ...overrides,
  };
}

/** A promise the test settles when it wants: to hold a request in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A send on a bad connection: the first call never gets an answer (the connection drops), the
 * second is refused with a 422 "try later", the third gets `answer`.
 */
export function droppedThenRefusedThen(answer: () => ReturnType<typeof reply>) {
  let calls = 0;
  return () => {
    calls++;
    if (calls === 1) throw new TypeError('Failed to fetch');
    if (calls === 2) return reply(422, { type: 'https://milepost.dev/problems/validation-failed', title: 'Not valid', status: 422, detail: 'try later' });
    return answer();
  };
}
