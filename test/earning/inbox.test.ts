// The inbox: messages written by `notify` (expiry notices, appeal decisions, rating changes)
// are listed newest first with the unread count, paged by cursor, marked read by their owner
// only, and a message with a dedupe key is written once.

import { expect, it } from 'vitest';
import { notify } from '../../api/earning/inbox';
import { describeEachBackend } from '../support/backends';
import { testApp } from '../support/app';
import { expectProblem } from '../support/problems';

const MINUTE = 60_000;

describeEachBackend('inbox', (current) => {
  it('lists my messages newest first with the unread count, one page at a time', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const other = await t.signedIn('driver');
    const start = t.clock.now().getTime();
    for (let i = 0; i < 5; i++) {
      await notify(t.db, { userId: driver.id, kind: 'test', title: `message ${i}`, body: `body ${i}`, data: { i }, at: new Date(start + i * MINUTE) });
    }
    await notify(t.db, { userId: other.id, kind: 'test', title: 'not yours', body: '…', at: new Date(start + 10 * MINUTE) });

    const first = await t.call('GET', '/api/me/notifications?limit=2', { token: driver.token });
    expect(first.status, first.text).toBe(200);
    expect(first.json.unread).toBe(5);
    expect(first.json.items.map((n: { title: string }) => n.title)).toEqual(['message 4', 'message 3']);
    expect(first.json.items[0]).toMatchObject({ kind: 'test', body: 'body 4', data: { i: 4 }, read: false, readAt: null, createdAt: new Date(start + 4 * MINUTE).toISOString() });
    const second = await t.call('GET', `/api/me/notifications?limit=2&cursor=${first.json.nextCursor}`, { token: driver.token });
    expect(second.json.items.map((n: { title: string }) => n.title)).toEqual(['message 2', 'message 1']);
    const third = await t.call('GET', `/api/me/notifications?limit=2&cursor=${second.json.nextCursor}`, { token: driver.token });
    expect(third.json.items.map((n: { title: string }) => n.title)).toEqual(['message 0']);
    expect(third.json.nextCursor).toBeNull();
  });

  it('marking read lowers the unread count and keeps the first reading time', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const n = (await notify(t.db, { userId: driver.id, kind: 'test', title: 'hello', body: 'world', at: t.clock.now() }))!;
    await notify(t.db, { userId: driver.id, kind: 'test', title: 'second', body: 'world', at: t.clock.now() });
    const read = await t.call('POST', `/api/me/notifications/${n.id}/read`, { token: driver.token });
    expect(read.status, read.text).toBe(200);
    expect(read.json).toMatchObject({ id: n.id, read: true, readAt: t.clock.now().toISOString() });
    const firstReadAt = read.json.readAt;
    t.clock.advance(5 * MINUTE);
    const again = await t.call('POST', `/api/me/notifications/${n.id}/read`, { token: driver.token });
    expect(again.json.readAt).toBe(firstReadAt);
    const list = await t.call('GET', '/api/me/notifications', { token: driver.token });
    expect(list.json.unread).toBe(1);
    const unreadOnly = await t.call('GET', '/api/me/notifications?unread=true', { token: driver.token });
    expect(unreadOnly.json.items.map((m: { title: string }) => m.title)).toEqual(['second']);
  });

  it('a message with a dedupe key is written once', async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const input = { userId: driver.id, kind: 'points_expiring', title: 'soon', body: 'soon', dedupeKey: `test:${driver.id}`, at: t.clock.now() };
    expect(await notify(t.db, input)).not.toBeNull();
    expect(await notify(t.db, { ...input, title: 'again' })).toBeNull();
    const list = await t.call('GET', '/api/me/notifications', { token: driver.token });
    expect(list.json.items.map((m: { title: string }) => m.title)).toEqual(['soon']);
  });

  it("someone else's message is a 404 and stays unread; a bad cursor or id is a 400; signed out is a 401", async () => {
    const t = testApp(current());
    const driver = await t.signedIn('driver');
    const other = await t.signedIn('driver');
    const theirs = (await notify(t.db, { userId: other.id, kind: 'test', title: 'private', body: 'private', at: t.clock.now() }))!;
    expectProblem(await t.call('POST', `/api/me/notifications/${theirs.id}/read`, { token: driver.token }), 404, 'not_found');
    const list = await t.call('GET', '/api/me/notifications', { token: other.token });
    expect(list.json).toMatchObject({ unread: 1, items: [{ id: theirs.id, read: false }] });
    expectProblem(await t.call('GET', '/api/me/notifications?cursor=bm9wZQ', { token: driver.token }), 400, 'validation_failed');
    expectProblem(await t.call('POST', '/api/me/notifications/not-a-uuid/read', { token: driver.token }), 400, 'validation_failed');
    expectProblem(await t.call('GET', '/api/me/notifications'), 401, 'unauthenticated');
  });
});
