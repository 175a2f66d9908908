import { screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import AppealsPage from '../../../web/src/committee/queues/AppealsPage';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, renderPage } from '../support/render';
import { appeal, claim, committee } from './fixtures';

const rejected = claim({ status: 'rejected', reason: 'no sign-in record', photoId: '00000000-0000-4000-8000-0000000009aa' });
const onClaim = appeal({ subjectId: rejected.id, driver: { id: 'd1', name: 'Chen Hao' } });
const onEvent = appeal({
  subjectType: 'safety_event',
  driver: { id: 'd2', name: 'Liu Yang' },
  subject: { status: 'standing', summary: 'violation (minor) on 2026-05-02' },
});

describe('the appeals queue', () => {
  beforeEach(() => setLanguage('en'));

  it('shows what is appealed, with the claim in full on demand', async () => {
    fakeApi({
      'GET /api/me': () => committee,
      'GET /api/appeals': () => ({ items: [onClaim, onEvent], nextCursor: null }),
      [`GET /api/volunteering/${rejected.id}`]: () => rejected,
    });
    const user = userEvent.setup();
    renderPage(AppealsPage, { url: '/console/appeals' });
    const card = await screen.findByRole('article', { name: 'Chen Hao appeals a volunteering claim' });
    expect(card.textContent).toContain('Exam day convoy, 4.00 h on 2026-05-20 — rejected: no sign-in record');
    expect(screen.getByRole('article', { name: 'Liu Yang appeals a safety record' }).textContent).toContain('Stands');

    await user.click(screen.getByText('The claim in full'));
    expect(await screen.findByRole('img', { name: 'Evidence photo for Exam day convoy' })).toBeTruthy();
    expect(card.textContent).toContain('no sign-in record');
  });

  it('upholds with `u` and a note, then moves on', async () => {
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/appeals': () => ({ items: [onClaim, onEvent], nextCursor: null }),
      [`POST /api/appeals/${onClaim.id}/decide`]: ({ body }) => ({
        ...onClaim,
        status: 'upheld',
        decisionNote: (body as { note: string }).note,
        payment: { earningId: onClaim.id, points: '40.00', transferId: null },
      }),
    });
    const user = userEvent.setup();
    renderPage(AppealsPage, { url: '/console/appeals' });
    await screen.findByRole('article', { name: /Chen Hao/ });

    await user.keyboard('u');
    await user.keyboard('Attendance confirmed with the organiser{Enter}');

    await waitFor(() => expect(screen.queryByRole('article', { name: /Chen Hao/ })).toBeNull());
    expect(api.calls.find((call) => call.method === 'POST')).toMatchObject({
      path: `/api/appeals/${onClaim.id}/decide`,
      body: { decision: 'upheld', note: 'Attendance confirmed with the organiser' },
    });
    expect(screen.getByText('Upheld the appeal of Chen Hao: 40 pts paid.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('article', { name: /Liu Yang/ }));
  });
});
