import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../api/config';
import { createDb, migrationsFolder, queryOne, queryRows, type Backend, type Db, type DbHandle } from '../../db/client';
import { describeEachBackend, pgUrl } from '../support/backends';

const REQUIRED_TABLES = [
  'users',
  'sessions',
  'login_throttle',
  'partners',
  'audit_log',
  'ledger_accounts',
  'ledger_transfers',
  'ledger_postings',
  'ledger_open_holds',
  'ledger_idempotency',
];

const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };

async function publicTables(db: Db): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return rows.map((r) => r.name);
}

async function appliedMigrations(db: Db): Promise<number> {
  const row = await queryOne<{ n: number | string }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return Number(row?.n);
}

/** An empty database on each backend that this run has, for migrating from nothing. */
async function emptyDatabase(backend: Backend): Promise<DbHandle> {
  if (backend === 'pglite') return createDb({ dataDir: null });
  const name = `milepost_migrate_${randomBytes(6).toString('hex')}`;
  const admin = postgres(pgUrl!, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(pgUrl!);
  url.pathname = `/${name}`;
  const handle = await createDb({ databaseUrl: url.toString(), maxConnections: 2 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const cleanup = postgres(pgUrl!, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

async function publicColumns(db: Db): Promise<string[]> {
  const rows = await queryRows<{ c: string }>(
    db,
    sql`select table_name || '.' || column_name || ' ' || data_type || coalesce('(' || numeric_precision || ',' || numeric_scale || ')', '') as c
        from information_schema.columns where table_schema = 'public' order by 1`,
  );
  return rows.map((r) => r.c);
}

async function withEmptyDatabase<T>(backend: Backend, use: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = await emptyDatabase(backend);
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

const runBackends: Backend[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

describe('db: migrating an empty database', () => {
  for (const backend of runBackends) {
    it(`migrates from nothing to every table, and a second migrate changes nothing [${backend}]`, async () => {
      await withEmptyDatabase(backend, async ({ db, migrate }) => {
        expect(await publicTables(db)).toEqual([]);

        await migrate();
        const tables = await publicTables(db);
        const columns = await publicColumns(db);
        expect(tables).toEqual(expect.arrayContaining(REQUIRED_TABLES));
        expect(await appliedMigrations(db)).toBe(journal.entries.length);

        await migrate();
        expect(await publicTables(db)).toEqual(tables);
        expect(await publicColumns(db)).toEqual(columns);
        expect(await appliedMigrations(db)).toBe(journal.entries.length);
        // the programme accounts the migration seeds were not inserted twice
        const programme = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from ledger_accounts where owner_id is null`);
        expect(programme?.n).toBe(3);
      });
    });
  }

  it.skipIf(!pgUrl)('PGlite and PostgreSQL end up with the same tables and columns [postgres]', async () => {
    const schemaOf = (backend: Backend) =>
      withEmptyDatabase(backend, async ({ db, migrate }) => {
        await migrate();
        return { tables: await publicTables(db), columns: await publicColumns(db) };
      });
    const [pglite, postgresql] = [await schemaOf('pglite'), await schemaOf('postgres')];
    expect(pglite.tables).toEqual(expect.arrayContaining(REQUIRED_TABLES));
    expect(postgresql.tables).toEqual(pglite.tables);
    expect(postgresql.columns).toEqual(pglite.columns);
    expect(pglite.columns).toContain('ledger_accounts.posted numeric(20,2)');
  });
});

/** The database's own message and SQLSTATE for a refused statement, whichever driver ran it. */
async function refusal(statement: Promise<unknown>): Promise<{ message: string; code: string }> {
  try {
    await statement;
  } catch (error) {
    const cause = (error as { cause?: { message?: string; code?: string } }).cause ?? (error as { message?: string; code?: string });
    return { message: String(cause.message), code: String(cause.code) };
  }
  throw new Error('the statement was not refused');
}

describeEachBackend('db: the audit log is append-only', (db) => {
  async function oneEntry(d: Db): Promise<string> {
    const row = await queryOne<{ id: string }>(
      d,
      sql`insert into audit_log (action, target_type, target_id, after)
          values ('test.action', 'thing', 'thing-1', '{"x":1}'::jsonb) returning id::text as id`,
    );
    return row!.id;
  }

  it('refuses UPDATE of an entry', async () => {
    const d = db().db;
    const id = await oneEntry(d);
    expect(await refusal(d.execute(sql`update audit_log set action = 'forged' where id = ${id}::bigint`))).toEqual({
      message: 'audit_log is append-only: UPDATE refused',
      code: '23000',
    });
    const row = await queryOne<{ action: string }>(d, sql`select action from audit_log where id = ${id}::bigint`);
    expect(row?.action).toBe('test.action');
  });

  it('refuses DELETE of an entry', async () => {
    const d = db().db;
    const id = await oneEntry(d);
    expect(await refusal(d.execute(sql`delete from audit_log where id = ${id}::bigint`))).toEqual({
      message: 'audit_log is append-only: DELETE refused',
      code: '23000',
    });
    const row = await queryOne<{ n: number }>(d, sql`select count(*)::int as n from audit_log where id = ${id}::bigint`);
    expect(row?.n).toBe(1);
  });

  it('still accepts new entries', async () => {
    const d = db().db;
    await oneEntry(d);
    await oneEntry(d);
    const row = await queryOne<{ n: number }>(d, sql`select count(*)::int as n from audit_log`);
    expect(row?.n).toBe(2);
  });
});

describe('config: parseConfig', () => {
  function failure(env: Record<string, string>): string {
    try {
      parseConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
  }

  it('rejects PORT=abc with a message naming PORT', () => {
    const message = failure({ PORT: 'abc' });
    expect(message).toMatch(/^invalid configuration:/);
    expect(message).toMatch(/^ {2}PORT: /m);
  });

  it('rejects SEED=maybe with a message naming SEED', () => {
    const message = failure({ SEED: 'maybe' });
    expect(message).toMatch(/^ {2}SEED: /m);
    expect(message).not.toMatch(/^ {2}PORT: /m);
  });

  it('names every bad variable at once', () => {
    const message = failure({ PORT: '70000', COOKIE_SECURE: 'perhaps', DATABASE_URL: 'mysql://x', SESSION_TTL_HOURS: '0' });
    for (const name of ['PORT', 'COOKIE_SECURE', 'DATABASE_URL', 'SESSION_TTL_HOURS']) {
      expect(message).toMatch(new RegExp(`^ {2}${name}: `, 'm'));
    }
  });

  it('gives the documented defaults for an empty environment, treating empty strings as unset', () => {
    const config = parseConfig({ PORT: '', SEED: '' });
    expect(config).toEqual({
      port: 3000,
      host: '0.0.0.0',
      database: { dataDir: './data' },
      seed: 'demo',
      session: { ttlHours: 24 * 14, cookieSecure: false },
      login: { maxFailuresPerPhone: 5, maxFailuresPerIp: 30, windowMinutes: 15 },
      maxBodyBytes: 1024 * 1024,
      trustProxy: false,
      logLevel: 'info',
      metricsToken: null,
      workers: 1,
    });
  });

  it('reads good values: a PostgreSQL URL, numbers and booleans', () => {
    const config = parseConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://app@localhost:5432/milepost',
      SEED: 'none',
      COOKIE_SECURE: 'yes',
      TRUST_PROXY: '1',
      LOGIN_MAX_FAILURES_PER_PHONE: '3',
      WORKERS: '4',
    });
    expect(config).toMatchObject({
      workers: 4,
      port: 8080,
      database: { url: 'postgres://app@localhost:5432/milepost' },
      seed: 'none',
      session: { cookieSecure: true },
      trustProxy: true,
      login: { maxFailuresPerPhone: 3 },
    });
  });

  it('refuses more than one worker without PostgreSQL, and a worker count that is not a whole number from 1', () => {
    expect(() => parseConfig({ WORKERS: '2' })).toThrow(/WORKERS: more than one server process needs DATABASE_URL/);
    expect(parseConfig({ WORKERS: '1' }).workers).toBe(1);
    for (const bad of ['0', '-1', '1.5', 'two', '65']) {
      expect(() => parseConfig({ WORKERS: bad, DATABASE_URL: 'postgres://app@localhost/milepost' }), bad).toThrow(/WORKERS/);
    }
  });
});
