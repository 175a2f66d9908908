import { screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import ClaimsPage from '../../../web/src/committee/queues/ClaimsPage';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, renderPage } from '../support/render';
import { claim, committee } from './fixtures';

const first = claim({ driver: { id: 'd1', name: 'Li Wei', phone: '13900000001' }, event: 'Exam day convoy' });
const second = claim({ driver: { id: 'd2', name: 'Zhang San', phone: '13900000002' }, event: 'Road safety campaign' });
const third = claim({ driver: { id: 'd3', name: 'Wu Fang', phone: '13900000003' }, event: 'Flood relief convoy' });

const card = (name: RegExp) => screen.getByRole('article', { name });

function queueApi() {
  return fakeApi({
    'GET /api/me': () => committee,
    'GET /api/volunteering': () => ({ items: [first, second, third], nextCursor: null }),
    [`POST /api/volunteering/${first.id}/approve`]: () => ({
      ...first,
      status: 'approved',
      payment: { earningId: first.id, points: '40.00', units: '4.00', ruleVersionId: null, transferId: null },
    }),
    [`POST /api/volunteering/${second.id}/reject`]: ({ body }) => ({ ...second, status: 'rejected', reason: (body as { reason: string }).reason }),
  });
}

const posts = (api: ReturnType<typeof fakeApi>) => api.calls.filter((call) => call.method === 'POST');

describe('the claims queue from the keyboard', () => {
  beforeEach(() => setLanguage('en'));

  it('asks for the waiting claims, oldest first, and lists the shortcuts', async () => {
    const api = queueApi();
    renderPage(ClaimsPage, { url: '/console/claims' });
    await screen.findByRole('article', { name: /Li Wei: Exam day convoy/ });
    expect(api.calls.find((call) => call.path.startsWith('/api/volunteering'))?.path).toMatch(/status=submitted&order=oldest/);
    const shortcuts = screen.getByRole('region', { name: 'Keyboard shortcuts' });
    expect(shortcuts.textContent).toContain('Approve the selected claim');
    expect(card(/Li Wei/).getAttribute('aria-current')).toBe('true');
  });

  it('approves the selected claim with `a` and moves on to the next', async () => {
    const api = queueApi();
    const user = userEvent.setup();
    renderPage(ClaimsPage, { url: '/console/claims' });
    await screen.findByRole('article', { name: /Li Wei: Exam day convoy/ });

    await user.keyboard('a');

    await waitFor(() => expect(screen.queryByRole('article', { name: /Li Wei/ })).toBeNull());
    expect(posts(api).map((call) => call.path)).toEqual([`/api/volunteering/${first.id}/approve`]);
    const next = card(/Zhang San: Road safety campaign/);
    expect(next.getAttribute('aria-current')).toBe('true');
    expect(document.activeElement).toBe(next);
    expect(screen.getByText('Approved the claim of Li Wei: 40 pts paid.')).toBeTruthy();

    await user.keyboard('j');
    expect(document.activeElement).toBe(card(/Wu Fang/));
    await user.keyboard('{ArrowUp}');
    expect(document.activeElement).toBe(card(/Zhang San/));
  });

  it('rejects with `r`, the reason typed and Enter, and keeps focus in the queue', async () => {
    const api = queueApi();
    const user = userEvent.setup();
    renderPage(ClaimsPage, { url: '/console/claims' });
    await screen.findByRole('article', { name: /Li Wei/ });

    await user.keyboard('j');
    await user.keyboard('r');
    const reason = screen.getByLabelText(/Why is it rejected\?/) as HTMLInputElement;
    expect(document.activeElement).toBe(reason);
    expect(reason.value).toBe('');

    await user.keyboard('Organiser has no record of you{Enter}');

    await waitFor(() => expect(screen.queryByRole('article', { name: /Zhang San/ })).toBeNull());
    expect(posts(api)).toHaveLength(1);
    expect(posts(api)[0]).toMatchObject({
      path: `/api/volunteering/${second.id}/reject`,
      body: { reason: 'Organiser has no record of you' },
    });
    expect(document.activeElement).toBe(card(/Wu Fang/));
  });

  it('never fires a shortcut while typing, and Esc closes the reason', async () => {
    const api = queueApi();
    const user = userEvent.setup();
    renderPage(ClaimsPage, { url: '/console/claims' });
    await screen.findByRole('article', { name: /Li Wei/ });

    await user.keyboard('r');
    const reason = screen.getByLabelText(/Why is it rejected\?/) as HTMLInputElement;
    await user.keyboard('a bad jar, r k j');
    expect(reason.value).toBe('a bad jar, r k j');
    expect(document.activeElement).toBe(reason);
    expect(card(/Li Wei/).getAttribute('aria-current')).toBe('true');

    await user.keyboard('{Escape}');
    expect(screen.queryByLabelText(/Why is it rejected\?/)).toBeNull();
    expect(document.activeElement).toBe(card(/Li Wei/));
    expect(posts(api)).toEqual([]);
  });

  it('shows the API’s complaint about a reason next to it and keeps what was typed', async () => {
    const user = userEvent.setup();
    fakeApi({
      'GET /api/me': () => committee,
      'GET /api/volunteering': () => ({ items: [first], nextCursor: null }),
      [`POST /api/volunteering/${first.id}/reject`]: () => ({
        __reply: true,
        status: 400,
        body: { type: 'about:blank', title: 'The request is not valid', status: 400, errors: [{ path: 'reason', message: 'say why, in a few words' }] },
      }),
    });
    renderPage(ClaimsPage, { url: '/console/claims' });
    await screen.findByRole('article', { name: /Li Wei/ });
    await user.keyboard('r');
    await user.keyboard('no{Enter}');
    expect(await screen.findByText('say why, in a few words')).toBeTruthy();
    expect((screen.getByLabelText(/Why is it rejected\?/) as HTMLInputElement).value).toBe('no');
    expect(screen.getByRole('article', { name: /Li Wei/ })).toBeTruthy();
  });

  it('when every loaded claim is decided and more are waiting, the next page comes by itself; the queue is not called clear', async () => {
    const user = userEvent.setup();
    fakeApi({
      'GET /api/me': () => committee,
      'GET /api/volunteering': ({ url }) => (url.searchParams.get('cursor') === 'page-2' ? { items: [second], nextCursor: null } : { items: [first], nextCursor: 'page-2' }),
      [`POST /api/volunteering/${first.id}/approve`]: () => ({ ...first, status: 'approved', payment: null }),
    });
    renderPage(ClaimsPage, { url: '/console/claims' });
    await screen.findByRole('article', { name: /Li Wei/ });

    await user.keyboard('a');

    expect(await screen.findByRole('article', { name: /Zhang San/ })).toBeTruthy();
    expect(screen.queryByText('No claims are waiting. The queue is clear.')).toBeNull();
  });

  it('hands focus to the empty queue’s message when the last claim leaves', async () => {
    const user = userEvent.setup();
    fakeApi({
      'GET /api/me': () => committee,
      'GET /api/volunteering': () => ({ items: [first], nextCursor: null }),
      [`POST /api/volunteering/${first.id}/approve`]: () => ({ ...first, status: 'approved', payment: null }),
    });
    renderPage(ClaimsPage, { url: '/console/claims' });
    await screen.findByRole('article', { name: /Li Wei/ });

    await user.keyboard('a');

    const empty = await screen.findByText('No claims are waiting. The queue is clear.');
    expect(document.activeElement).toBe(empty);
    expect(screen.getByRole('status').textContent).toBe('Approved the claim of Li Wei.');
  });
});
