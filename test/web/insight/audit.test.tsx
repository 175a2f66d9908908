import { screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import AuditLog from '../../../web/src/committee/insight/audit/AuditLog';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, renderPage } from '../support/render';
import { alice, committee } from './insight-support';

const entry = (id: string, action: string, extra: Record<string, unknown> = {}) => ({
  id,
  at: '2026-06-01T08:00:00.000Z',
  action,
  actor: { id: '5d6e7f80-1a2b-4c3d-8e9f-a0b1c2d3e4f5', name: 'Zhou Min', role: 'committee' },
  targetType: 'driver',
  targetId: alice.id,
  before: null,
  after: { amount: '25.00', reason: 'Helped at the convoy' },
  ...extra,
});

function auditApi() {
  return fakeApi({
    'GET /api/me': () => committee,
    'GET /api/audit-log': ({ url }) => {
      if (url.searchParams.get('cursor') === 'older') return { items: [entry('1', 'partner.create', { actor: null, targetType: 'partner', targetId: 'p1' })], nextCursor: null };
      const action = url.searchParams.get('action');
      const items = [entry('3', 'ledger.adjust'), entry('2', 'offer.approve', { targetType: 'offer', targetId: 'o1', after: null })];
      return { items: action ? items.filter((e) => e.action.startsWith(action)) : items, nextCursor: action ? null : 'older' };
    },
  });
}

const auditCalls = (api: ReturnType<typeof fakeApi>) => api.calls.filter((c) => c.path.startsWith('/api/audit-log')).map((c) => c.path);

describe('console: audit log', () => {
  beforeEach(() => setLanguage('en'));

  it('lists entries newest first with who, what, target and changes; "Show more" goes back further', async () => {
    const api = auditApi();
    const user = userEvent.setup();
    renderPage(AuditLog, { url: '/console/audit', path: '/console/audit' });
    const table = await screen.findByRole('table', { name: 'Audit log entries, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.children[2]!.textContent)).toEqual(['ledger.adjust', 'offer.approve']);
    expect(within(rows[0]!).getByRole('link', { name: /Zhou Min/ }).getAttribute('href')).toBe('/console/audit?actorId=5d6e7f80-1a2b-4c3d-8e9f-a0b1c2d3e4f5');
    expect(within(rows[0]!).getByRole('link', { name: new RegExp(alice.id) }).getAttribute('href')).toBe(`/console/drivers/${alice.id}`);
    await user.click(within(rows[0]!).getByText('Show changes'));
    expect(rows[0]!.textContent).toContain('"reason": "Helped at the convoy"');
    expect(rows[1]!.textContent).toContain('Nothing recorded');

    await user.click(screen.getByRole('button', { name: 'Show more' }));
    expect(await within(table).findByText('The system')).toBeTruthy();
    expect(auditCalls(api)).toEqual(['/api/audit-log?limit=30', '/api/audit-log?cursor=older&limit=30']);
  });

  it('filters go to the API; a malformed one is named at its field and not sent', async () => {
    const api = auditApi();
    const user = userEvent.setup();
    renderPage(AuditLog, { url: '/console/audit', path: '/console/audit' });
    await screen.findByRole('table', { name: 'Audit log entries, newest first' });

    const actor = screen.getByRole('textbox', { name: 'Done by (user ID)' });
    await user.type(actor, 'Zhou');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(actor.getAttribute('aria-invalid')).toBe('true');
    expect(actor.getAttribute('aria-describedby')).toContain('audit-actorId-error');
    expect(document.getElementById('audit-actorId-error')!.textContent).toContain('A user ID looks like');
    expect(document.activeElement).toBe(actor);
    expect(auditCalls(api)).toHaveLength(1);

    await user.clear(actor);
    await user.type(screen.getByRole('textbox', { name: 'Action' }), 'ledger');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(auditCalls(api).at(-1)).toBe('/api/audit-log?action=ledger&limit=30'));
    const table = await screen.findByRole('table', { name: 'Audit log entries, newest first' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Audit log entries, newest first' })).getAllByRole('row')).toHaveLength(3));
    expect((screen.getByRole('textbox', { name: 'Action' }) as HTMLInputElement).value).toBe('');
  });

  it('starts from the filters in the address, and says when nothing matches', async () => {
    const api = auditApi();
    renderPage(AuditLog, { url: '/console/audit?action=nothing', path: '/console/audit' });
    expect(await screen.findByText('No entries match these filters.')).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Action' }) as HTMLInputElement).value).toBe('nothing');
    expect(auditCalls(api)).toEqual(['/api/audit-log?action=nothing&limit=30']);
  });
});
