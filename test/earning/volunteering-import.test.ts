// Attendance CSV imports: the committee uploads who volunteered; valid rows become approved,
// paid claims, bad rows come back with their line numbers, a bad file (not UTF-8, no header,
// no rows, too big) is refused with nothing stored, the same attendance never pays twice, and
// a 10,000-row file shows its progress while it is processed in the background.

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryOne, queryRows, type Db } from '../../db/client';
import { users } from '../../db/schema/index';
import { openAccount } from '../../api/ledger/accounts';
import { IMPORT_CHUNK_ROWS, IMPORT_LANES, laneOf, parseAttendance, resumeImports, runImport, startImport } from '../../api/earning/volunteering.import';
import { ledgerSoundAfterEach } from '../market/market-support';
import { describeEachBackend } from '../support/backends';
import { testApp, type TestApp } from '../support/app';
import { expectProblem } from '../support/problems';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Uploads a CSV as the body (text/csv) or as the `file` field of a multipart form. */
async function upload(t: TestApp, token: string, content: string | Uint8Array, as: 'body' | 'multipart' = 'body', fileName = 'attendance.csv'): Promise<Answer> {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  if (as === 'multipart') {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'text/csv' }), fileName);
    return answer(await t.app.request('/api/volunteering/import', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form }));
  }
  return answer(
    await t.app.request(`/api/volunteering/import?fileName=${encodeURIComponent(fileName)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv; charset=utf-8' },
      body: bytes,
    }),
  );
}

/** Polls the import until it is no longer processing; returns it and every processedRows seen. */
async function finished(t: TestApp, token: string, id: string, timeoutMs = 120_000) {
  const seen: number[] = [];
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.call('GET', `/api/volunteering/imports/${id}`, { token });
    expect(res.status, res.text).toBe(200);
    seen.push(res.json.processedRows);
    if (res.json.status !== 'processing') {
      // `done` comes with the last chunk; the re-grade of the paid drivers follows in the
      // background. Wait for this process's run to end, so no test leaves work behind it.
      await runImport(t.db, t.clock, id);
      return { imp: res.json, seen };
    }
    if (Date.now() > until) throw new Error(`import ${id} still processing after ${timeoutMs} ms: ${res.text}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const count = async (db: Db, table: 'volunteer_claims' | 'volunteer_imports' | 'earnings' | 'ledger_transfers') =>
  Number((await queryOne<{ n: string }>(db, sql`select count(*)::text as n from ${sql.identifier(table)}`))!.n);

/** Drivers inserted directly (no password hashing), each with a wallet. */
async function bulkDrivers(db: Db, n: number) {
  const out: Array<{ id: string; phone: string }> = [];
  const stamp = String(Date.now() % 1e5).padStart(5, '0');
  for (let i = 0; i < n; i++) {
    const phone = `186${stamp}${String(i).padStart(3, '0')}`;
    const [row] = await db.insert(users).values({ role: 'driver', phone, name: `Driver ${i}`, passwordHash: 'not-a-real-hash', plateNumber: '粤B·I0001' }).returning({ id: users.id });
    await openAccount(db, { kind: 'driver_wallet', ownerId: row!.id });
    out.push({ id: row!.id, phone });
  }
  return out;
}

async function scene(t: TestApp) {
  const committee = await t.signedIn('committee');
  const wang = await t.signedIn('driver');
  const li = await t.signedIn('driver');
  const wallet = async (token: string) => ((await t.call('GET', '/api/me/wallet', { token })).json as { available: string }).available;
  return { committee, wang, li, wallet };
}

describeEachBackend('volunteering: attendance CSV import', (current) => {
  ledgerSoundAfterEach(current);

  it('a file with good and bad rows: valid rows become approved, paid claims; bad rows are reported by line', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const csv = [
      '\uFEFFPhone,Event,Date,Hours,Organiser,Notes', // 1: BOM, header in any case, an extra column
      `${s.wang.phone},高考护航 Exam day convoy,2026-05-16,4,Baoan Transport Association,`, // 2 ok
      `${s.li.phone},"Port cleanup, north pier",2026/5/17,2.5,,"two`, // 3 ok, a note over two lines
      `lines"`, // 4 (still line 3's record)
      `13900009999,Convoy,2026-05-16,2,,`, // 5 unknown phone
      `${s.wang.phone},Convoy,2026-05-32,2,,`, // 6 bad date
      `${s.wang.phone},Convoy,2026-05-18,25,,`, // 7 too many hours
      `${s.wang.phone},,2026-05-18,2,,`, // 8 no event
      ``, // 9 empty line, skipped
      `${s.li.phone},Convoy,2026-06-02,1,,`, // 10 future (today is 2026-06-01 in Shanghai)
      `,Convoy,2026-05-18,1,,`, // 11 no phone
      `${s.li.phone},Convoy`, // 12 short row
      `${s.wang.phone},高考护航  EXAM day convoy,2026-05-16,4,,`, // 13 same driver, event and date as line 2
      `${s.li.phone},Bridge watch,2026-05-20,0.75,,`, // 14 ok
    ].join('\r\n');

    const res = await upload(t, s.committee.token, csv, 'body', 'may-attendance.csv');
    expect(res.status, res.text).toBe(202);
    expect(res.headers.get('location')).toBe(`/api/volunteering/imports/${res.json.id}`);
    expect(res.json).toMatchObject({ fileName: 'may-attendance.csv', status: 'processing', totalRows: 11, uploadedBy: s.committee.id });
    expect(res.json.sha256).toMatch(/^[0-9a-f]{64}$/);

    const { imp } = await finished(t, s.committee.token, res.json.id);
    expect(imp).toMatchObject({ status: 'done', totalRows: 11, processedRows: 11, applied: 3, skipped: 1, errorCount: 7, failure: null, finishedAt: '2026-06-01T08:00:00.000Z' });
    expect(imp.errors.map((e: { line: number }) => e.line)).toEqual([5, 6, 7, 8, 10, 11, 12]);
    const byLine = Object.fromEntries(imp.errors.map((e: { line: number; message: string }) => [e.line, e.message]));
    expect(byLine[5]).toBe('no driver with phone 13900009999');
    expect(byLine[6]).toContain('date "2026-05-32" is not a date');
    expect(byLine[7]).toContain('hours cannot be more than 24');
    expect(byLine[8]).toBe('event is empty');
    expect(byLine[10]).toBe('date 2026-06-02 is in the future');
    expect(byLine[11]).toBe('phone is empty');
    expect(byLine[12]).toBe('date is empty; hours is empty');

    const claims = await queryRows<{ driver_id: string; event: string; activity_date: string; hours: string; status: string; import_line: number; points: string; decided_by: string }>(
      t.db,
      sql`select c.driver_id::text, c.event, c.activity_date::text, c.hours::text, c.status, c.import_line, e.points::text, c.decided_by::text
            from volunteer_claims c left join earnings e on e.source = 'volunteering' and e.source_id = c.id::text
           where c.import_id = ${imp.id} order by c.import_line`,
    );
    expect(claims).toEqual([
      { driver_id: s.wang.id, event: '高考护航 Exam day convoy', activity_date: '2026-05-16', hours: '4.00', status: 'approved', import_line: 2, points: '40.00', decided_by: s.committee.id },
      { driver_id: s.li.id, event: 'Port cleanup, north pier', activity_date: '2026-05-17', hours: '2.50', status: 'approved', import_line: 3, points: '25.00', decided_by: s.committee.id },
      { driver_id: s.li.id, event: 'Bridge watch', activity_date: '2026-05-20', hours: '0.75', status: 'approved', import_line: 14, points: '7.50', decided_by: s.committee.id },
    ]);
    expect(await s.wallet(s.wang.token)).toBe('40.00');
    expect(await s.wallet(s.li.token)).toBe('32.50');
    // the driver sees the imported claim among their own
    const mine = await t.call('GET', '/api/volunteering', { token: s.li.token });
    expect(mine.json.items.map((c: { importLine: number }) => c.importLine).sort((a: number, b: number) => a - b)).toEqual([3, 14]); // one chunk: same created_at
    const audit = await queryRows(t.db, sql`select action, actor_id::text, after->>'rows' as rows from audit_log where target_id = ${imp.id}`);
    expect(audit).toEqual([{ action: 'volunteer_import.upload', actor_id: s.committee.id, rows: '11' }]);
  });

  it('re-uploading the same file pays nothing twice: the second import reports every row as skipped', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const csv = `driverId,event,date,hours\n${s.wang.id},Convoy,2026-05-16,3\n${s.li.id},Convoy,2026-05-16,2\n`;
    const first = await finished(t, s.committee.token, (await upload(t, s.committee.token, csv)).json.id);
    expect(first.imp).toMatchObject({ status: 'done', applied: 2, skipped: 0, errorCount: 0 });
    const transfers = await count(t.db, 'ledger_transfers');

    t.clock.advance(3_600_000); // an hour later, someone uploads it again
    const again = await upload(t, s.committee.token, csv, 'multipart', 'again.csv');
    expect(again.status, again.text).toBe(202);
    const second = await finished(t, s.committee.token, again.json.id);
    expect(second.imp).toMatchObject({ fileName: 'again.csv', status: 'done', applied: 0, skipped: 2, errorCount: 0, sha256: first.imp.sha256 });
    expect(await count(t.db, 'ledger_transfers')).toBe(transfers);
    expect(await count(t.db, 'volunteer_claims')).toBe(2);
    expect([await s.wallet(s.wang.token), await s.wallet(s.li.token)]).toEqual(['30.00', '20.00']);

    const list = await t.call('GET', '/api/volunteering/imports', { token: s.committee.token });
    expect(list.json.items.map((i: { id: string; applied: number }) => [i.id, i.applied])).toEqual([
      [second.imp.id, 0],
      [first.imp.id, 2],
    ]);
  });

  it('a finished import has re-graded its drivers: their stored rating counts the imported hours', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const csv = `driverId,event,date,hours\n${s.wang.id},Convoy,2026-05-16,6\n${s.wang.id},Cleanup,2026-05-20,2\n`;
    const started = await startImport(t.db, t.clock, { fileName: 'rated.csv', content: new TextEncoder().encode(csv), uploadedBy: s.committee.id });
    await started.done;
    const rating = await queryOne<{ hours: string; points: string }>(
      t.db,
      sql`select volunteer_hours::text as hours, volunteering_points::text as points from driver_ratings where driver_id = ${s.wang.id}`,
    );
    expect(rating).toEqual({ hours: '8.00', points: '12.00' });
  });

  it('imported hours count against the same monthly cap as approved claims', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const csv = ['phone,event,date,hours', `${s.wang.phone},A,2026-05-01,24`, `${s.wang.phone},B,2026-05-02,20`, `${s.wang.phone},C,2026-05-03,1`, `${s.wang.phone},D,2026-04-30,2`].join('\n');
    const { imp } = await finished(t, s.committee.token, (await upload(t, s.committee.token, csv)).json.id);
    expect(imp).toMatchObject({ applied: 4, errorCount: 0 });
    const paid = await queryRows<{ import_line: number; units: string; points: string }>(
      t.db,
      sql`select c.import_line, e.units::text, e.points::text from volunteer_claims c join earnings e on e.source_id = c.id::text order by c.import_line`,
    );
    expect(paid).toEqual([
      { import_line: 2, units: '24.00', points: '240.00' },
      { import_line: 3, units: '16.00', points: '160.00' },
      { import_line: 4, units: '0.00', points: '0.00' },
      { import_line: 5, units: '2.00', points: '20.00' },
    ]);
    expect(await s.wallet(s.wang.token)).toBe('420.00');
  });

  it('a file that is not UTF-8 (a GBK/GB18030 export) is refused with advice, and nothing is stored', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const gbk = Buffer.concat([Buffer.from(`phone,event,date,hours\n${s.wang.phone},`), Buffer.from([0xb8, 0xdf, 0xbf, 0xbc, 0xbb, 0xa4, 0xba, 0xbd]), Buffer.from(',2026-05-16,4\n')]);
    const p = expectProblem(await upload(t, s.committee.token, gbk), 422, 'csv_encoding');
    expect(p.detail).toContain('GB18030');
    expect(p.detail).toContain('CSV UTF-8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('phone,event,date,hours\n', 'utf16le')]);
    expect(expectProblem(await upload(t, s.committee.token, utf16, 'multipart'), 422, 'csv_encoding').detail).toContain('UTF-16');
    expect(await count(t.db, 'volunteer_imports')).toBe(0);
    expect(await count(t.db, 'volunteer_claims')).toBe(0);
  });

  it('no header, missing columns, no data rows, broken quoting, an empty body: 422, nothing stored', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const noHeader = expectProblem(await upload(t, s.committee.token, `${s.wang.phone},Convoy,2026-05-16,4\n`), 422, 'csv_invalid');
    expect(noHeader.detail).toContain('missing phone (or driverId), event, date, hours');
    const missing = expectProblem(await upload(t, s.committee.token, 'phone,event,hours\n139,Convoy,4\n'), 422, 'csv_invalid');
    expect(missing.detail).toContain('missing date. The first line must name the columns');
    expectProblem(await upload(t, s.committee.token, 'phone,event,date,hours,phone\n'), 422, 'csv_invalid');
    const headerOnly = expectProblem(await upload(t, s.committee.token, '\uFEFFphone,event,date,hours\r\n\r\n'), 422, 'csv_empty');
    expect(headerOnly.detail).toContain('no data rows');
    expectProblem(await upload(t, s.committee.token, '\n\n'), 422, 'csv_invalid');
    expectProblem(await upload(t, s.committee.token, ''), 422, 'csv_invalid');
    const quote = expectProblem(await upload(t, s.committee.token, `phone,event,date,hours\n${s.wang.phone},"Convoy,2026-05-16,4\n`), 422, 'csv_invalid');
    expect(quote.detail).toContain('not well-formed CSV');
    expectProblem(await upload(t, s.committee.token, new Uint8Array(0), 'multipart'), 422, 'csv_invalid');
    const json = await t.call('POST', '/api/volunteering/import', { token: s.committee.token, body: { rows: [] } });
    expectProblem(json, 415, 'unsupported_media_type');
    expect(await count(t.db, 'volunteer_imports')).toBe(0);
  });

  it('a 20 MB file is refused with 413 and nothing is stored', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const row = `${s.wang.phone},Convoy,2026-05-16,1\n`;
    const big = 'phone,event,date,hours\n' + row.repeat(Math.ceil((20 * 1024 * 1024) / row.length));
    expect(big.length).toBeGreaterThan(20 * 1024 * 1024);
    const p = expectProblem(await upload(t, s.committee.token, big), 413, 'payload_too_large');
    expect(p.detail).toContain('10485760');
    expectProblem(await upload(t, s.committee.token, big, 'multipart'), 413, 'payload_too_large');
    expect(await count(t.db, 'volunteer_imports')).toBe(0);
    expect(await count(t.db, 'volunteer_claims')).toBe(0);
  });

  it('security: only the committee imports and reads imports', async () => {
    const t = testApp(current());
    const s = await scene(t);
    const csv = `phone,event,date,hours\n${s.wang.phone},Convoy,2026-05-16,4\n`;
    expectProblem(await upload(t, s.wang.token, csv), 403, 'forbidden');
    expectProblem(await t.call('GET', '/api/volunteering/imports', { token: s.wang.token }), 403, 'forbidden');
    expectProblem(await t.call('GET', '/api/volunteering/imports', {}), 401, 'unauthenticated');
    expectProblem(await t.call('GET', `/api/volunteering/imports/${randomUUID()}`, { token: s.committee.token }), 404, 'import_not_found');
    expect(await count(t.db, 'volunteer_imports')).toBe(0);
  });

  it('a 10,000-row file: progress is visible while it runs, and it completes with every row paid within the caps', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const drivers = await bulkDrivers(t.db, 100);
    const lines = ['phone,event,date,hours,organiser'];
    for (let i = 0; i < 10_000; i++) {
      const d = drivers[i % 100]!;
      lines.push(`${d.phone},Convoy ${Math.floor(i / 100)},2026-05-${String(1 + (Math.floor(i / 100) % 28)).padStart(2, '0')},1,Baoan Transport Association`);
    }
    const res = await upload(t, committee.token, lines.join('\n'));
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ totalRows: 10_000, processedRows: 0, status: 'processing' });
    const { imp, seen } = await finished(t, committee.token, res.json.id);
    expect(imp).toMatchObject({ status: 'done', processedRows: 10_000, applied: 10_000, skipped: 0, errorCount: 0, errors: [] });
    // On PostgreSQL the rows are dealt into lanes by driver that run side by side; the embedded
    // database has one connection, so one lane.
    const { lanes } = (await queryOne<{ lanes: number }>(t.db, sql`select lanes from volunteer_imports where id = ${res.json.id}`))!;
    expect(lanes).toBe(current().backend === 'postgres' ? IMPORT_LANES : 1);
    // progress moved in whole chunks of each lane and was seen between start and end
    const file = parseAttendance(new TextEncoder().encode(lines.join('\n')));
    const laneSizes = Array.from({ length: lanes }, (_, lane) => file.records.filter((r) => laneOf(file, r, lanes) === lane).length);
    expect(laneSizes.every((n) => n > 0 && n < 10_000) || lanes === 1).toBe(true);
    const chunkStops = (size: number) => [...Array.from({ length: Math.ceil(size / IMPORT_CHUNK_ROWS) }, (_, i) => i * IMPORT_CHUNK_ROWS), size];
    const possible = laneSizes.reduce((sums, size) => sums.flatMap((sum) => chunkStops(size).map((stop) => sum + stop)), [0]);
    expect(seen.some((n) => n > 0 && n < 10_000), `progress seen: ${[...new Set(seen)].join(', ')}`).toBe(true);
    expect(seen.filter((n) => !possible.includes(n)), `possible: ${possible.join(', ')}`).toEqual([]);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    // 100 hours each in May, capped at 40: 400 points per driver
    const totals = await queryRows<{ drivers: string; points: string; earnings: string }>(
      t.db,
      sql`select count(distinct driver_id)::text as drivers, sum(points)::text as points, count(*)::text as earnings from earnings where source = 'volunteering'`,
    );
    expect(totals).toEqual([{ drivers: '100', points: '40000.00', earnings: '10000' }]);
  }, 180_000);

  it('an import a crash left processing is finished by resumeImports, once, even when resumed twice at once', async () => {
    const t = testApp(current());
    const committee = await t.signedIn('committee');
    const drivers = await bulkDrivers(t.db, 5);
    const csv = ['phone,event,date,hours', ...drivers.flatMap((d) => [`${d.phone},Convoy,2026-05-10,2`, `${d.phone},Cleanup,2026-05-11,1`])].join('\n');
    // what a crash right after the upload looks like: the file stored, nothing processed yet
    const id = randomUUID();
    await t.db.execute(sql`insert into volunteer_imports (id, file_name, sha256, content, status, total_rows, uploaded_by, created_at)
                           values (${id}, 'crashed.csv', 'x', ${Buffer.from(csv)}, 'processing', 10, ${committee.id}, now())`);
    const [a, b] = await Promise.all([resumeImports(t.db, t.clock), resumeImports(t.db, t.clock)]);
    expect([a, b]).toEqual([1, 1]);
    const resumed = (await t.call('GET', `/api/volunteering/imports/${id}`, { token: committee.token })).json;
    expect(resumed).toMatchObject({ status: 'done', processedRows: 10, applied: 10, skipped: 0, errorCount: 0 });
    expect(await count(t.db, 'volunteer_claims')).toBe(10);
    expect(await count(t.db, 'earnings')).toBe(10);
    expect(await resumeImports(t.db, t.clock)).toBe(0);
    // and startImport() is the same path without HTTP, for the benchmark
    const { import: created, done } = await startImport(t.db, t.clock, { fileName: 'again.csv', content: new TextEncoder().encode(csv), uploadedBy: committee.id });
    expect(created.totalRows).toBe(10);
    expect(await done).toMatchObject({ status: 'done', applied: 0, skipped: 10 });
  });
});
