// Grid reports, refusals: a photo that is not an image, too big, or a polyglot; coordinates out
// of range; bad fields; impossible workflow steps. Each is a clear problem+json and stores or
// changes nothing (rows counted before and after).

import { expect, it } from 'vitest';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { expectNoLeak, expectProblem } from '../support/problems';
import { concat, jpeg, png, reportForm, tEXt, text, zip } from './photos-fixtures';
import { fileReport, filed, HERE, north, postForm, storedCounts, transition } from './grid-reports-support';

describeEachBackend('grid reports: refusals', (current) => {
  it.each([
    ['an HTML page named .jpg and declared image/jpeg', 415, 'unsupported_media_type', text('<html><body><script>alert(1)</script></body></html>'), 'photo.jpg', 'image/jpeg'],
    ['a text file named .png', 415, 'unsupported_media_type', text('hello, this is not a picture'), 'road.png', 'image/png'],
    ['an image over 5 MB', 413, 'image_too_large', png({ width: 1300, height: 1400, noise: true }), 'big.png', 'image/png'],
    ['a valid JPEG with a ZIP appended', 422, 'invalid_image', concat(jpeg(), zip()), 'photo.jpg', 'image/jpeg'],
    ['a valid JPEG with HTML appended', 422, 'invalid_image', concat(jpeg(), text('<html><script>alert(1)</script></html>')), 'photo.jpg', 'image/jpeg'],
    ['a PNG with <script> in a tEXt chunk', 422, 'invalid_image', png({ extraChunks: [tEXt('Comment', '<script>alert(document.cookie)</script>')] }), 'photo.png', 'image/png'],
    ['a JPEG cut short', 422, 'invalid_image', jpeg().subarray(0, 80), 'photo.jpg', 'image/jpeg'],
  ])('%s → %i %s, and nothing is stored', async (_name, status, code, bytes, name, type) => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const before = await storedCounts(t.db);
    const res = await fileReport(t, driver.token, { photo: { bytes, name, type } });
    expectProblem(res, status, code);
    expectNoLeak(res.text);
    expect(await storedCounts(t.db)).toEqual(before);
  });

  it.each([
    ['lat above 90', { lat: '90.000001' }, 'lat'],
    ['lat below -90', { lat: '-91' }, 'lat'],
    ['lng above 180', { lng: '180.5' }, 'lng'],
    ['lng below -180', { lng: '-181' }, 'lng'],
    ['lat not a number', { lat: 'north' }, 'lat'],
    ['lng in exponent form', { lng: '1e2' }, 'lng'],
    ['an empty lat', { lat: '' }, 'lat'],
    ['an unknown category', { category: 'graffiti' }, 'category'],
  ])('%s → 400 naming the field, and nothing is stored', async (_name, fields, path) => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const before = await storedCounts(t.db);
    const problem = expectProblem(await fileReport(t, driver.token, fields), 400, 'validation_failed');
    expect(problem.errors?.map((e) => e.path)).toContain(path);
    expect(await storedCounts(t.db)).toEqual(before);
  });

  it('a missing photo, a photo sent as text, or a JSON body are refused and store nothing', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const before = await storedCounts(t.db);
    const noPhoto = expectProblem(await postForm(t, '/api/grid-reports', reportForm({ ...HERE, category: 'pothole' }), driver.token), 400, 'validation_failed');
    expect(noPhoto.errors?.map((e) => e.path)).toEqual(['photo']);
    const asText = reportForm({ ...HERE, category: 'pothole', photo: 'not a file' });
    expectProblem(await postForm(t, '/api/grid-reports', asText, driver.token), 400, 'validation_failed');
    const json = await t.call('POST', '/api/grid-reports', { token: driver.token, body: { ...HERE, category: 'pothole' } });
    expectProblem(json, 415, 'unsupported_media_type');
    expect(await storedCounts(t.db)).toEqual(before);
  });

  it('impossible steps are 409 and change nothing; missing reason / department are 400', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const committee = await t.signedIn('committee');
    const report = await filed(t, driver.token);
    const before = await storedCounts(t.db);

    for (const to of ['forwarded', 'resolved', 'closed']) {
      const body = to === 'forwarded' ? { to, department: 'Roads' } : { to };
      const p = expectProblem(await transition(t, committee.token, report.id, body), 409, 'report_transition_invalid');
      expect(p.detail).toMatch(/submitted.*verified or rejected or duplicate/);
    }
    const noReason = expectProblem(await transition(t, committee.token, report.id, { to: 'rejected' }), 400, 'validation_failed');
    expect(noReason.errors?.map((e) => e.path)).toEqual(['reason']);
    const noDupe = expectProblem(await transition(t, committee.token, report.id, { to: 'duplicate' }), 400, 'validation_failed');
    expect(noDupe.errors?.map((e) => e.path)).toEqual(['duplicateOf']);
    expectProblem(await transition(t, committee.token, report.id, { to: 'duplicate', duplicateOf: report.id }), 422, 'unprocessable');
    expectProblem(
      await transition(t, committee.token, report.id, { to: 'duplicate', duplicateOf: '00000000-0000-4000-8000-00000000dead' }),
      422,
      'unprocessable',
    );
    expectProblem(await transition(t, committee.token, report.id, { to: 'submitted' }), 400, 'validation_failed');
    expectProblem(await transition(t, committee.token, report.id, { to: 'verified', department: 'Roads' }), 400, 'validation_failed');
    expect(await storedCounts(t.db)).toEqual(before);

    expect((await transition(t, committee.token, report.id, { to: 'verified' })).status).toBe(200);
    const noDept = expectProblem(await transition(t, committee.token, report.id, { to: 'forwarded' }), 400, 'validation_failed');
    expect(noDept.errors?.map((e) => e.path)).toEqual(['department']);
    expectProblem(await transition(t, committee.token, report.id, { to: 'verified' }), 409, 'report_transition_invalid');
    expectProblem(await transition(t, committee.token, report.id, { to: 'rejected', reason: 'too late now' }), 409, 'report_transition_invalid');
    const detail = await t.call('GET', `/api/grid-reports/${report.id}`, { token: committee.token });
    expect(detail.json.history.map((h: any) => h.to)).toEqual(['submitted', 'verified']);
    expect(detail.json.payment.points).toBe('5.00');
  });

  it('unknown reports and photos are 404; a malformed id or cursor is 400', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const missing = '00000000-0000-4000-8000-00000000beef';
    expectProblem(await t.call('GET', `/api/grid-reports/${missing}`, { token: committee.token }), 404, 'grid_report_not_found');
    expectProblem(await transition(t, committee.token, missing, { to: 'verified' }), 404, 'grid_report_not_found');
    expectProblem(await t.call('GET', `/api/photos/${missing}`, { token: committee.token }), 404, 'photo_not_found');
    expectProblem(await t.call('GET', '/api/grid-reports/not-a-uuid', { token: committee.token }), 400, 'validation_failed');
    expectProblem(await t.call('GET', '/api/grid-reports?cursor=bm9wZQ', { token: committee.token }), 400, 'validation_failed');
    expectProblem(await t.call('GET', '/api/grid-reports?limit=0', { token: committee.token }), 400, 'validation_failed');
  });

  it('a note with a NUL character is a 400, not a database error', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const before = await storedCounts(t.db);
    expectProblem(await fileReport(t, driver.token, { ...north(HERE, 1), note: 'bad \u0000 note' }), 400, 'validation_failed');
    expect(await storedCounts(t.db)).toEqual(before);
  });
});
