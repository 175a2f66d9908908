import { screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import DriverSearch from '../../../web/src/committee/insight/drivers/DriverSearch';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, renderPage } from '../support/render';
import { alice, bo, committee } from './insight-support';

function driversApi(more = false) {
  return fakeApi({
    'GET /api/me': () => committee,
    'GET /api/drivers': ({ url }) => {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      if (url.searchParams.get('cursor') === 'page-2') return { items: [bo], nextCursor: null };
      const items = [alice, bo].filter((d) => d.name.toLowerCase().includes(q) || d.phone.includes(q));
      return { items: more ? items.slice(0, 1) : items, nextCursor: more ? 'page-2' : null };
    },
  });
}

const searches = (api: ReturnType<typeof fakeApi>) => api.calls.filter((c) => c.path.startsWith('/api/drivers')).map((c) => c.path);

describe('console: find a driver', () => {
  beforeEach(() => setLanguage('en'));

  it('lists every driver first, then searches for what is typed, once typing pauses', async () => {
    const api = driversApi();
    const user = userEvent.setup();
    renderPage(DriverSearch, { url: '/console/drivers', path: '/console/drivers' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Drivers' })).toBeTruthy();
    const all = await screen.findByRole('table', { name: 'All drivers, by name' });
    expect(within(all).getAllByRole('row')).toHaveLength(3);
    expect(screen.getByRole('status').textContent).toBe('2 drivers shown');

    await user.type(screen.getByRole('searchbox', { name: 'Search drivers' }), 'ali');
    const found = await screen.findByRole('table', { name: 'Drivers matching “ali”' });
    const rows = within(found).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(Array.from(rows[1]!.children, (c) => c.textContent)).toEqual(['Alice Chen', '13900000001', '粤B·A1001', 'AA', '1,250.5 pts']);
    expect(within(found).getByRole('link', { name: 'Alice Chen' }).getAttribute('href')).toBe(`/console/drivers/${alice.id}`);
    // one search for the word, not one per keystroke
    expect(searches(api)).toEqual(['/api/drivers', '/api/drivers?q=ali']);
  });

  it('starts from the search in the address, and says when nothing matches', async () => {
    const api = driversApi();
    const user = userEvent.setup();
    renderPage(DriverSearch, { url: '/console/drivers?q=bo', path: '/console/drivers' });
    const box = (await screen.findByRole('searchbox', { name: 'Search drivers' })) as HTMLInputElement;
    expect(box.value).toBe('bo');
    const found = await screen.findByRole('table', { name: 'Drivers matching “bo”' });
    expect(within(found).getByRole('row', { name: /Bo Wang/ }).textContent).toContain('Not graded');

    await user.clear(box);
    await user.type(box, 'zhang{Enter}');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('No driver matches “zhang”.'));
    expect(screen.queryByRole('table')).toBeNull();
    expect(searches(api)).toEqual(['/api/drivers?q=bo', '/api/drivers?q=zhang']);
  });

  it('"Show more" asks for the next page with the cursor', async () => {
    const api = driversApi(true);
    const user = userEvent.setup();
    renderPage(DriverSearch, { url: '/console/drivers', path: '/console/drivers' });
    await screen.findByRole('link', { name: 'Alice Chen' });
    await user.click(screen.getByRole('button', { name: 'Show more' }));
    expect(await screen.findByRole('link', { name: 'Bo Wang' })).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull());
    expect(searches(api)).toEqual(['/api/drivers', '/api/drivers?cursor=page-2']);
  });
});
