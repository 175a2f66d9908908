import { screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import Catalog from '../../../web/src/driver/Catalog';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi } from '../support/render';
import { renderPage } from '../support/render';
import { driver, offer, queriesOf } from './fixtures';

const brakes = offer();
const engine = offer({
  id: '603b9e73-ae61-4ec0-b0b4-d77c26f61bef',
  title: 'Engine overhaul',
  faceValue: '¥500 off an engine overhaul',
  price: '400.00',
  yourPrice: '380.00',
  affordable: false,
  qualifies: false,
  minGrade: 'AAA',
});

function shopApi(pages: Record<string, { items: ReturnType<typeof offer>[]; nextCursor: string | null }> = {}) {
  return fakeApi({
    'GET /api/me': () => driver,
    'GET /api/offer-regions': () => ({ items: ['Baoan', 'Nanshan'] }),
    'GET /api/offers': ({ url }) => pages[url.searchParams.get('cursor') ?? 'first'] ?? { items: [brakes, engine], nextCursor: null },
  });
}

describe('the shop catalog', () => {
  beforeEach(() => setLanguage('en'));

  it('shows each offer with your grade-adjusted price, the list price, and whether you can afford it and qualify', async () => {
    shopApi();
    renderPage(Catalog, { url: '/shop', path: '/shop' });

    const brakeCard = (await screen.findByRole('link', { name: 'Brake service' })).closest('li')!;
    expect(brakeCard.textContent).toContain('Your price 162 pts');
    expect(brakeCard.textContent).toContain('List price 180 pts');
    expect(within(brakeCard).getByText('You can afford it')).toBeTruthy();
    expect(within(brakeCard).getByText('Repair')).toBeTruthy();
    expect(brakeCard.textContent).toContain('顺达汽修 Shunda Garage · Baoan');

    const engineCard = screen.getByRole('link', { name: 'Engine overhaul' }).closest('li')!;
    expect(engineCard.textContent).toContain('Your price 380 pts');
    expect(within(engineCard).getByText('Not enough points yet')).toBeTruthy();
    expect(within(engineCard).getByText('Needs grade AAA or better')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Brake service' }).getAttribute('href')).toBe(`/shop/${brakes.id}`);
  });

  it('sends the filters in the address to the API as query parameters', async () => {
    const api = shopApi();
    renderPage(Catalog, { url: '/shop?category=repair&q=brake&affordable=true&region=Baoan&sort=price_asc', path: '/shop' });
    await screen.findByRole('link', { name: 'Brake service' });

    const [sent] = queriesOf(api.calls, 'GET', '/api/offers');
    expect(Object.fromEntries(sent!)).toEqual({ category: 'repair', q: 'brake', affordable: 'true', region: 'Baoan', sort: 'price_asc' });
    expect(screen.getByRole('button', { name: 'Repair' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: 'All' }).getAttribute('aria-pressed')).toBe('false');
    expect((screen.getByRole('checkbox', { name: 'Only what I can afford' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('searchbox', { name: 'Search offers' }) as HTMLInputElement).value).toBe('brake');
    expect((screen.getByRole('combobox', { name: 'Sort by' }) as HTMLSelectElement).value).toBe('price_asc');
    await waitFor(() => expect((screen.getByRole('combobox', { name: 'Region' }) as HTMLSelectElement).value).toBe('Baoan'));
  });

  it('changing a filter asks the API again with it, keeping the others', async () => {
    const api = shopApi();
    const user = userEvent.setup();
    renderPage(Catalog, { url: '/shop?q=brake', path: '/shop' });
    await screen.findByRole('link', { name: 'Brake service' });

    await user.click(screen.getByRole('button', { name: 'Training' }));
    await waitFor(() => expect(queriesOf(api.calls, 'GET', '/api/offers')).toHaveLength(2));
    expect(Object.fromEntries(queriesOf(api.calls, 'GET', '/api/offers')[1]!)).toEqual({ q: 'brake', category: 'training' });

    await user.click(screen.getByRole('checkbox', { name: 'Only what I can afford' }));
    await waitFor(() => expect(queriesOf(api.calls, 'GET', '/api/offers')).toHaveLength(3));
    expect(Object.fromEntries(queriesOf(api.calls, 'GET', '/api/offers')[2]!)).toEqual({ q: 'brake', category: 'training', affordable: 'true' });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort by' }), 'price_desc');
    await waitFor(() => expect(queriesOf(api.calls, 'GET', '/api/offers')).toHaveLength(4));
    expect(queriesOf(api.calls, 'GET', '/api/offers')[3]!.get('sort')).toBe('price_desc');

    const search = screen.getByRole('searchbox', { name: 'Search offers' });
    await user.clear(search);
    await user.type(search, 'tyre{Enter}');
    await waitFor(() => expect(queriesOf(api.calls, 'GET', '/api/offers')).toHaveLength(5));
    expect(Object.fromEntries(queriesOf(api.calls, 'GET', '/api/offers')[4]!)).toEqual({
      q: 'tyre',
      category: 'training',
      affordable: 'true',
      sort: 'price_desc',
    });
  });

  it('"Show more" fetches the next page with the cursor and adds it below', async () => {
    const more = offer({ id: 'b5d88f55-114b-497a-8cf9-92dd3dddeab6', title: 'Tyre replacement', yourPrice: '81.00', price: '90.00' });
    const api = shopApi({ first: { items: [brakes], nextCursor: 'c1' }, c1: { items: [more], nextCursor: null } });
    const user = userEvent.setup();
    renderPage(Catalog, { url: '/shop?category=repair', path: '/shop' });
    await screen.findByRole('link', { name: 'Brake service' });

    await user.click(screen.getByRole('button', { name: 'Show more' }));

    expect(await screen.findByRole('link', { name: 'Tyre replacement' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Brake service' })).toBeTruthy();
    expect(Object.fromEntries(queriesOf(api.calls, 'GET', '/api/offers')[1]!)).toEqual({ category: 'repair', cursor: 'c1' });
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
  });

  it('says so when nothing matches, with a way to clear the filters', async () => {
    const api = fakeApi({
      'GET /api/me': () => driver,
      'GET /api/offer-regions': () => ({ items: [] }),
      'GET /api/offers': ({ url }) => (url.searchParams.has('q') ? { items: [], nextCursor: null } : { items: [brakes], nextCursor: null }),
    });
    const user = userEvent.setup();
    renderPage(Catalog, { url: '/shop?q=caviar', path: '/shop' });

    expect(await screen.findByText('No offers match these filters.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByRole('link', { name: 'Brake service' })).toBeTruthy();
    expect(Object.fromEntries(queriesOf(api.calls, 'GET', '/api/offers').at(-1)!)).toEqual({});
  });
});
