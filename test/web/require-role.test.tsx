import { screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { RequireRole } from '../../web/src/components/RequireRole';
import { setLanguage } from '../../web/src/i18n';
import { fakeApi, problem, renderPage } from './support/render';
import { http as api } from '../../web/src/api/client';

const driver = { id: 'd1', role: 'driver', name: 'Li Wei', phone: '13800000001', plateNumber: '粤B12345' };

describe('RequireRole', () => {
  it('shows the area to the right role', async () => {
    setLanguage('en');
    fakeApi({ 'GET /api/me': () => driver });
    renderPage(() => <RequireRole roles={['driver']}><h1>Shop</h1></RequireRole>, { url: '/shop' });
    expect(await screen.findByRole('heading', { name: 'Shop' })).toBeTruthy();
  });

  it('tells another role in words that the page is not for them', async () => {
    setLanguage('en');
    fakeApi({ 'GET /api/me': () => ({ ...driver, role: 'partner_staff' }) });
    renderPage(() => <RequireRole roles={['driver']}><h1>Shop</h1></RequireRole>, { url: '/shop' });
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('Partner staff'));
    expect(screen.queryByRole('heading', { name: 'Shop' })).toBeNull();
  });

  it('a request refused for want of a session (it expired mid-shift) sends the person to sign in, and back after', async () => {
    setLanguage('en');
    let signedIn = true;
    fakeApi({
      'GET /api/me': () => (signedIn ? driver : problem(401, 'Sign in first')),
      'GET /api/me/wallet': () => problem(401, 'Sign in first'),
    });
    const Page = () => (
      <RequireRole roles={['driver']}>
        <h1>Shop</h1>
        <button type="button" onClick={() => void api.get('/api/me/wallet').catch(() => {})}>
          Points
        </button>
      </RequireRole>
    );
    renderPage(Page, { url: '/shop' });
    const button = await screen.findByRole('button', { name: 'Points' });
    signedIn = false;
    button.click();
    expect(await screen.findByText(/elsewhere: \/login\?next=%2Fshop/)).toBeTruthy();
  });

  it('sends someone signed out to sign in, and back after', async () => {
    setLanguage('en');
    fakeApi({ 'GET /api/me': () => problem(401, 'Unauthorized') });
    renderPage(() => <RequireRole roles={['driver']}><h1>Shop</h1></RequireRole>, { url: '/shop?category=repair' });
    expect(await screen.findByText(/elsewhere: \/login\?next=%2Fshop%3Fcategory%3Drepair/)).toBeTruthy();
  });
});
