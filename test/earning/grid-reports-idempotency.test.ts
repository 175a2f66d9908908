// Filing a grid report from a phone on a bad connection: the upload is retried with the same
// Idempotency-Key and must not become a second report with a second photo. The same key for a
// different report is a 409 that stores nothing; keys belong to one driver.

import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { expectProblem } from '../support/problems';
import { png } from './photos-fixtures';
import { fileReport, storedCounts } from './grid-reports-support';

describeEachBackend('grid reports: filing with an Idempotency-Key', (current) => {
  it('a retried upload with the same key answers the first report and stores one report, one photo, one history step', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const before = await storedCounts(t.db);
    const upload = { note: 'pothole in lane 2', idempotencyKey: 'report-intent-0001' };

    const first = await fileReport(t, driver.token, upload);
    const retry = await fileReport(t, driver.token, upload);

    expect([first.status, retry.status], retry.text).toEqual([201, 201]);
    expect(retry.json.id).toBe(first.json.id);
    expect(retry.json.photoId).toBe(first.json.photoId);
    expect(await storedCounts(t.db)).toEqual({ ...before, photos: before.photos + 1, reports: before.reports + 1, events: before.events + 1 });
  });

  it('five copies of one upload at once make one report, and every copy is answered with it', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const before = await storedCounts(t.db);

    const answers = await Promise.all(Array.from({ length: 5 }, () => fileReport(t, driver.token, { idempotencyKey: 'report-intent-race' })));

    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.json.id)).size).toBe(1);
    expect(await storedCounts(t.db)).toEqual({ ...before, photos: before.photos + 1, reports: before.reports + 1, events: before.events + 1 });
  });

  it('the same key with another note, place or photo is a 409 and stores nothing more', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const key = 'report-intent-0002';
    expect((await fileReport(t, driver.token, { note: 'first', idempotencyKey: key })).status).toBe(201);
    const after = await storedCounts(t.db);

    for (const different of [{ note: 'second' }, { note: 'first', lat: '22.600000' }, { note: 'first', photo: { bytes: png({ width: 5, height: 5 }) } }]) {
      const res = await fileReport(t, driver.token, { ...different, idempotencyKey: key });
      expectProblem(res, 409, 'idempotency_conflict');
    }
    expect(await storedCounts(t.db)).toEqual(after);
  });

  it("a key is the driver's own: another driver using the same key files their own report", async () => {
    const t = testApp(current());
    const a = await t.signedIn('driver');
    const b = await t.signedIn('driver');
    const key = 'shared-looking-key';

    const mine = await fileReport(t, a.token, { idempotencyKey: key });
    const theirs = await fileReport(t, b.token, { idempotencyKey: key });

    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.json.id).not.toBe(mine.json.id);
    expect(theirs.json.driverId).toBe(b.id);
  });

  it('a key shorter than 8 characters is refused before anything is stored', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const before = await storedCounts(t.db);
    expectProblem(await fileReport(t, driver.token, { idempotencyKey: 'short' }), 400, 'validation_failed');
    expect(await storedCounts(t.db)).toEqual(before);
  });
});
