import { screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import AppealNew from '../../../web/src/earn/AppealNew';
import Appeals from '../../../web/src/earn/Appeals';
import Claims from '../../../web/src/earn/Claims';
import { formatDateTime, setLanguage } from '../../../web/src/i18n';
import { fakeApi, reply, renderPage } from '../support/render';
import { appeal, claim, driver } from './fixtures';

const rejected = claim({ status: 'rejected', reason: 'No sign-in record', decidedAt: '2026-05-18T02:00:00.000Z' });
const reason = 'The organiser can confirm I drove in the convoy.';

describe('appeals', () => {
  beforeEach(() => setLanguage('en'));

  it('a rejected claim shows its reason and offers "Appeal"; an approved one shows its points', async () => {
    const approved = claim({
      id: 'c0000000-0000-4000-8000-000000000002',
      event: 'Flood relief transport',
      status: 'approved',
      decidedAt: '2026-05-19T02:00:00.000Z',
      payment: { earningId: 'e1', points: '25.00', units: '2.50', ruleVersionId: null, transferId: 't1' },
    });
    fakeApi({
      'GET /api/me': () => driver,
      'GET /api/volunteering': () => ({ items: [approved, rejected], nextCursor: null }),
      'GET /api/appeals': () => ({ items: [], nextCursor: null }),
    });
    renderPage(Claims, { url: '/earn/volunteering?sent=1' });

    expect(await screen.findByRole('status')).toHaveProperty('textContent', expect.stringContaining('Your claim was sent'));
    const cards = await screen.findAllByRole('listitem');
    const [first, second] = [cards.find((c) => c.textContent?.includes('Flood relief'))!, cards.find((c) => c.textContent?.includes('Exam day'))!];
    expect(first.textContent).toContain('Approved');
    expect(first.textContent).toContain('Paid 25 points');
    expect(within(first).queryByRole('link', { name: /Appeal/ })).toBeNull();
    expect(second.textContent).toContain('Reason: No sign-in record');
    const link = within(second).getByRole('link', { name: /^Appeal/ });
    expect(link.getAttribute('href')).toBe(`/earn/appeals/new?kind=volunteer_claim&id=${rejected.id}`);
  });

  it('a rejected claim whose appeal is open says so instead of offering a second one', async () => {
    fakeApi({
      'GET /api/me': () => driver,
      'GET /api/volunteering': () => ({ items: [rejected], nextCursor: null }),
      'GET /api/appeals': () => ({ items: [appeal({ subjectId: rejected.id })], nextCursor: null }),
    });
    renderPage(Claims, { url: '/earn/volunteering' });
    expect(await screen.findByText(/Your appeal is being reviewed/)).toBeTruthy();
    expect(screen.queryByRole('link', { name: /^Appeal/ })).toBeNull();
  });

  it('the appeal form shows what is appealed and posts kind, id and reason', async () => {
    const api = fakeApi({
      'GET /api/me': () => driver,
      [`GET /api/volunteering/${rejected.id}`]: () => rejected,
      'POST /api/appeals': () => reply(201, appeal()),
    });
    const user = userEvent.setup();
    renderPage(AppealNew, { url: `/earn/appeals/new?kind=volunteer_claim&id=${rejected.id}`, path: '/earn/appeals/new' });

    expect(await screen.findByText('Exam day convoy')).toBeTruthy();
    expect(screen.getByText('Reason: No sign-in record')).toBeTruthy();
    await user.type(screen.getByLabelText('Why should the committee look again?'), reason);
    await user.click(screen.getByRole('button', { name: 'Send appeal' }));

    expect(await screen.findByText('elsewhere: /earn/appeals?sent=1')).toBeTruthy();
    const posts = api.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.path).toBe('/api/appeals');
    expect(posts[0]!.body).toEqual({ subjectType: 'volunteer_claim', subjectId: rejected.id, reason });
  });

  it('an appeal the server refuses is explained in words and the reason stays', async () => {
    fakeApi({
      'GET /api/me': () => driver,
      [`GET /api/volunteering/${rejected.id}`]: () => rejected,
      'POST /api/appeals': () =>
        reply(409, {
          type: 'https://milepost.dev/problems/appeal-open',
          title: 'Conflict',
          status: 409,
          detail: "an appeal on this volunteering claim is already open; wait for the committee's decision",
        }),
    });
    const user = userEvent.setup();
    renderPage(AppealNew, { url: `/earn/appeals/new?kind=volunteer_claim&id=${rejected.id}`, path: '/earn/appeals/new' });
    await screen.findByText('Exam day convoy');
    await user.type(screen.getByLabelText('Why should the committee look again?'), reason);
    await user.click(screen.getByRole('button', { name: 'Send appeal' }));
    expect(await screen.findByText(/already open; wait for the committee's decision/)).toBeTruthy();
    expect((screen.getByLabelText('Why should the committee look again?') as HTMLTextAreaElement).value).toBe(reason);
  });

  it('without a subject the form is not offered; the driver is sent to pick one', async () => {
    fakeApi({ 'GET /api/me': () => driver });
    renderPage(AppealNew, { url: '/earn/appeals/new?kind=parking_ticket&id=x', path: '/earn/appeals/new' });
    expect(await screen.findByText(/Choose what to appeal/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Send appeal' })).toBeNull();
  });

  it('my appeals show the decision with its time on each appeal’s timeline', async () => {
    fakeApi({
      'GET /api/me': () => driver,
      'GET /api/appeals': () => ({
        items: [
          appeal({
            id: 'a2',
            status: 'upheld',
            decisionNote: 'Attendance confirmed with the organiser.',
            decidedAt: '2026-05-22T03:00:00.000Z',
            payment: { earningId: 'e1', points: '25.00', transferId: 't1' },
          }),
          appeal({ id: 'a1', subjectType: 'safety_event', subjectId: 's1', subject: { status: 'standing', summary: 'violation (minor) on 2026-05-02' } }),
        ],
        nextCursor: null,
      }),
    });
    renderPage(Appeals, { url: '/earn/appeals' });

    const upheld = await screen.findByRole('list', { name: 'Appeal progress: Volunteering claim' });
    const items = within(upheld).getAllByRole('listitem');
    expect(items.map((i) => i.querySelector('time')?.getAttribute('datetime'))).toEqual(['2026-05-20T02:00:00.000Z', '2026-05-22T03:00:00.000Z']);
    expect(items[1]!.textContent).toContain('Upheld');
    expect(items[1]!.textContent).toContain(formatDateTime('2026-05-22T03:00:00.000Z'));
    expect(items[1]!.textContent).toContain('Attendance confirmed with the organiser.');
    expect(items[1]!.textContent).toContain('25 points paid');

    const open = screen.getByRole('list', { name: 'Appeal progress: Safety record' });
    await waitFor(() => expect(within(open).getAllByRole('listitem')[1]!.textContent).toBe('Committee decision (not yet)'));
    expect(screen.getAllByText('Under review').length).toBeGreaterThan(0);
  });
});
