import { screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../../web/src/i18n';
import ConfirmPage from '../../../web/src/partner/ConfirmPage';
import { fakeApi, problem, renderPage, reply } from '../support/render';
import { honour, problemType, staff, validCode, withTypo } from './desk-support';

const lookupPath = '/api/partner/redemptions/lookup';
const confirmPath = '/api/partner/redemptions/confirm';

function openDesk() {
  renderPage(ConfirmPage, { url: '/desk', path: '/desk' });
  return screen.findByLabelText('Voucher code');
}

describe('the desk: confirm a voucher', () => {
  beforeEach(() => setLanguage('en'));

  it('catches a typo in the check character without asking the API', async () => {
    const api = fakeApi({ 'GET /api/me': () => staff });
    const user = userEvent.setup();
    const input = await openDesk();
    await user.type(input, withTypo(validCode()));
    await user.click(screen.getByRole('button', { name: 'Check code' }));

    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('This code has a typo'));
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(api.calls.filter((c) => c.path.startsWith('/api/partner'))).toEqual([]);
  });

  it('says which characters a code never has, and how long it should be, without asking the API', async () => {
    const api = fakeApi({ 'GET /api/me': () => staff });
    const user = userEvent.setup();
    const input = await openDesk();
    await user.type(input, 'K7MQ0-XW9PO');
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('never contain 0 O'));
    await user.clear(input);
    await user.type(input, 'K7MQ2');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('has 10 characters; this has 5'));
    expect(api.calls.filter((c) => c.path.startsWith('/api/partner'))).toEqual([]);
  });

  it('looks a good code up, shows what to honour, and confirms it once', async () => {
    const code = validCode();
    const api = fakeApi({
      'GET /api/me': () => staff,
      [`GET ${lookupPath}`]: () => honour(code),
      [`POST ${confirmPath}`]: () => honour(code, { status: 'confirmed', captured: '100.00' }),
    });
    const user = userEvent.setup();
    const input = await openDesk();
    await user.type(input, code.toLowerCase());
    await user.click(screen.getByRole('button', { name: 'Check code' }));

    const card = await screen.findByRole('region', { name: 'Honour this voucher' });
    for (const text of ['¥200 off brake service', '刹车保养 Brake service', '王建国 Wang Jianguo', '粤B·D1234', '100 pts', '2026']) {
      expect(card.textContent).toContain(text);
    }
    expect(api.calls.filter((c) => c.path.startsWith(lookupPath)).map((c) => c.path)).toEqual([
      `${lookupPath}?code=${code.replace('-', '')}`,
    ]);
    expect(api.calls.some((c) => c.path === confirmPath)).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Confirm' }));

    expect(await screen.findByText('Voucher confirmed')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Give 王建国 Wang Jianguo: ¥200 off brake service. 100 points charged.');
    const confirms = api.calls.filter((c) => c.path === confirmPath);
    expect(confirms).toHaveLength(1);
    expect(confirms[0]!.body).toEqual({ code });
    const next = screen.getByLabelText('Voucher code');
    expect((next as HTMLInputElement).value).toBe('');
    await waitFor(() => expect(document.activeElement).toBe(next));
  });

  it('charges a smaller amount when the clerk asks to', async () => {
    const code = validCode();
    const api = fakeApi({
      'GET /api/me': () => staff,
      [`GET ${lookupPath}`]: () => honour(code),
      [`POST ${confirmPath}`]: () => honour(code, { status: 'confirmed', captured: '62.50' }),
    });
    const user = userEvent.setup();
    await user.type(await openDesk(), code);
    await user.keyboard('{Enter}');
    await user.click(await screen.findByRole('checkbox', { name: /Charge fewer points/ }));
    await user.type(screen.getByLabelText('Points to charge'), '62.50');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText(/62\.5 points charged/)).toBeTruthy();
    expect(api.calls.find((c) => c.path === confirmPath)?.body).toEqual({ code, amount: '62.50' });
  });

  it.each([
    ['voucher-used', 409, 'This voucher has already been used.'],
    ['voucher-wrong-partner', 403, 'This voucher is for another partner. The driver should use it there.'],
    ['voucher-expired', 422, 'This voucher has expired.'],
    ['voucher-cancelled', 409, 'The driver cancelled this voucher.'],
  ])('says in words why a %s code cannot be honoured', async (type, status, words) => {
    const code = validCode();
    fakeApi({
      'GET /api/me': () => staff,
      [`GET ${lookupPath}`]: () => problem(status, 'refused', 'an English detail', problemType(type)),
    });
    const user = userEvent.setup();
    await user.type(await openDesk(), code);
    await user.click(screen.getByRole('button', { name: 'Check code' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining(words));
    expect(screen.queryByRole('button', { name: 'Confirm' })).toBeNull();
  });

  it('shows a problem that arrives at confirm time (used meanwhile) and keeps the voucher on screen', async () => {
    const code = validCode();
    fakeApi({
      'GET /api/me': () => staff,
      [`GET ${lookupPath}`]: () => honour(code),
      [`POST ${confirmPath}`]: () => problem(409, 'used', 'voucher was used on 2026-06-01', problemType('voucher-used')),
    });
    const user = userEvent.setup();
    await user.type(await openDesk(), code);
    await user.keyboard('{Enter}');
    await user.click(await screen.findByRole('button', { name: 'Confirm' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('already been used'));
    expect(screen.getByRole('region', { name: 'Honour this voucher' })).toBeTruthy();
  });

  it('rejects a voucher only with a reason, then is ready for the next code', async () => {
    const code = validCode();
    const api = fakeApi({
      'GET /api/me': () => staff,
      [`GET ${lookupPath}`]: () => honour(code),
      'POST /api/partner/redemptions/00000000-0000-4000-8000-0000000000c1/reject': () => reply(200, { id: '00000000-0000-4000-8000-0000000000c1', status: 'rejected' }),
    });
    const user = userEvent.setup();
    await user.type(await openDesk(), code);
    await user.keyboard('{Enter}');
    await user.click(await screen.findByRole('button', { name: 'Reject' }));
    await user.click(screen.getByRole('button', { name: 'Reject voucher' }));
    expect(await screen.findByText('Say why, in at least 3 characters.')).toBeTruthy();
    expect(api.calls.some((c) => c.path.endsWith('/reject'))).toBe(false);

    await user.type(screen.getByLabelText('Why are you rejecting this voucher?'), 'the part is not in stock');
    await user.click(screen.getByRole('button', { name: 'Reject voucher' }));
    expect(await screen.findByText('Voucher rejected')).toBeTruthy();
    expect(api.calls.find((c) => c.path.endsWith('/reject'))?.body).toEqual({ reason: 'the part is not in stock' });
    expect(screen.getByLabelText('Voucher code')).toBeTruthy();
  });

  it('offers "Scan QR" only where the browser can read QR codes', async () => {
    fakeApi({ 'GET /api/me': () => staff });
    await openDesk();
    expect(screen.queryByRole('button', { name: 'Scan QR' })).toBeNull();
  });
});
