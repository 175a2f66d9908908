import { screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ImportsPage from '../../../web/src/committee/imports/ImportsPage';
import type { ImportDetail } from '../../../web/src/committee/imports/api';
import { importPollMs } from '../../../web/src/committee/imports/follow-import';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, renderPage, reply } from '../support/render';
import { committee } from './fixtures';

const id = '7d1c9b40-8f0a-4c1d-9a52-3e2f0b6f3c1e';

function run(overrides: Partial<ImportDetail>): ImportDetail {
  return {
    id,
    fileName: 'june-convoy.csv',
    sha256: 'ab'.repeat(32),
    status: 'processing',
    totalRows: 10,
    processedRows: 0,
    applied: 0,
    skipped: 0,
    errorCount: 0,
    failure: null,
    uploadedBy: committee.id,
    createdAt: '2026-06-08T02:00:00.000Z',
    finishedAt: null,
    errors: [],
    ...overrides,
  };
}

const finished = run({
  status: 'done',
  processedRows: 10,
  applied: 6,
  skipped: 2,
  errorCount: 2,
  finishedAt: '2026-06-08T02:00:05.000Z',
  errors: [
    { line: 4, message: 'no driver with phone 13900000099' },
    { line: 9, message: 'hours are a decimal string like "2.5", got "three"' },
  ],
});

describe('the attendance import', () => {
  beforeEach(() => {
    setLanguage('en');
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => vi.useRealTimers());

  it('uploads the file, shows progress while it runs, then the row errors with their line numbers', async () => {
    const answers = [run({ processedRows: 7 }), finished];
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/volunteering/imports': () => ({ items: [], nextCursor: null }),
      'POST /api/volunteering/import': () => reply(202, run({ processedRows: 3 }), { location: `/api/volunteering/imports/${id}` }),
      [`GET /api/volunteering/imports/${id}`]: () => answers.shift() ?? finished,
    });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderPage(ImportsPage, { url: '/console/imports' });

    expect(await screen.findByRole('heading', { name: 'What the file needs' })).toBeTruthy();
    const file = new File(['phone,event,date,hours\n13900000001,Convoy,2026-06-07,4\n'], 'june-convoy.csv', { type: 'text/csv' });
    await user.upload(screen.getByLabelText('Attendance file (CSV)'), file);
    await user.click(screen.getByRole('button', { name: 'Upload and import' }));

    const progress = (await screen.findByRole('progressbar', { name: 'Import progress' })) as HTMLProgressElement;
    expect(progress.max).toBe(10);
    expect(progress.value).toBe(3);
    expect(screen.getByText('3 of 10 rows processed…')).toBeTruthy();
    const sent = api.calls.find((call) => call.method === 'POST')?.body as FormData;
    expect((sent.get('file') as File).name).toBe('june-convoy.csv');

    await vi.advanceTimersByTimeAsync(importPollMs);
    expect(await screen.findByText('7 of 10 rows processed…')).toBeTruthy();
    expect(progress.value).toBe(7);

    await vi.advanceTimersByTimeAsync(importPollMs);
    const report = await screen.findByRole('region', { name: 'Rows with errors (2)' });
    expect(screen.queryByRole('progressbar')).toBeNull();
    const rows = within(report)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['4', 'no driver with phone 13900000099'],
      ['9', 'hours are a decimal string like "2.5", got "three"'],
    ]);
    const facts = screen.getByText('Applied (paid)').parentElement?.textContent;
    expect(facts).toContain('6');
    expect(screen.getByText('Skipped, already paid').parentElement?.textContent).toContain('2');

    const download = within(report).getByRole('link', { name: 'Download error report (CSV)' });
    expect(download.getAttribute('download')).toBe('june-convoy-errors.csv');
    const csv = decodeURIComponent(download.getAttribute('href')!.replace(/^data:text\/csv;charset=utf-8,/, ''));
    expect(csv).toContain('line,problem\r\n4,no driver with phone 13900000099\r\n9,"hours are a decimal string like ""2.5"", got ""three"""');

    // No more polling once it is done.
    const polls = api.calls.filter((call) => call.path === `/api/volunteering/imports/${id}`).length;
    await vi.advanceTimersByTimeAsync(importPollMs * 3);
    expect(api.calls.filter((call) => call.path === `/api/volunteering/imports/${id}`)).toHaveLength(polls);
  });

  it('copies the error report as text', async () => {
    fakeApi({
      'GET /api/me': () => committee,
      'GET /api/volunteering/imports': () => ({ items: [finished], nextCursor: null }),
      [`GET /api/volunteering/imports/${id}`]: () => finished,
    });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderPage(ImportsPage, { url: `/console/imports?import=${id}` });

    await user.click(await screen.findByRole('button', { name: 'Copy error report' }));
    expect(await screen.findByText('Error report copied.')).toBeTruthy();
    // user-event stands in a clipboard for the page.
    expect(await navigator.clipboard.readText()).toBe(
      '4\tno driver with phone 13900000099\n9\thours are a decimal string like "2.5", got "three"',
    );
    expect(screen.getByRole('link', { name: 'june-convoy.csv' }).getAttribute('href')).toBe(`/console/imports?import=${id}`);
  });

  it('says in words why a file was refused', async () => {
    fakeApi({
      'GET /api/me': () => committee,
      'GET /api/volunteering/imports': () => ({ items: [], nextCursor: null }),
      'POST /api/volunteering/import': () =>
        reply(422, { type: 'about:blank', title: 'The file is not an attendance CSV', status: 422, detail: 'the header row names no `event` column' }),
    });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderPage(ImportsPage, { url: '/console/imports' });
    await user.upload(await screen.findByLabelText('Attendance file (CSV)'), new File(['a,b\n1,2\n'], 'wrong.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Upload and import' }));
    expect(await screen.findByText('the header row names no `event` column')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
