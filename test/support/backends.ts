import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterEach, beforeEach, describe, inject } from 'vitest';
import { createDb, migrationsFolder, type Backend, type DbHandle } from '../../db/client';

/**
 * Fresh databases for tests, on both backends. PGlite: a migrated data directory is dumped once
 * per test file and loaded for every test. PostgreSQL: a migrated template database is made
 * once per run and copied with CREATE DATABASE … TEMPLATE for every test.
 */
export const pgUrl = inject('pgUrl');

let pgliteSnapshot: Promise<Blob> | undefined;

async function migratedPgliteSnapshot(): Promise<Blob> {
  const handle = await createDb({ dataDir: null });
  await handle.migrate();
  const client = (handle.db as unknown as { $client: { dumpDataDir(c?: 'none'): Promise<Blob> } }).$client;
  const blob = await client.dumpDataDir('none');
  await handle.close();
  return blob;
}

export async function freshPglite(): Promise<DbHandle> {
  pgliteSnapshot ??= migratedPgliteSnapshot();
  return createDb({ dataDir: null, loadDataDir: await pgliteSnapshot });
}

/** Named after the migrations' content, so a server kept between runs never serves a stale schema. */
const TEMPLATE = `milepost_tpl_${createHash('sha256')
  .update(
    readdirSync(migrationsFolder, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.sql') || f.endsWith('.json'))
      .sort()
      .map((f) => readFileSync(join(migrationsFolder, f), 'utf8'))
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 16)}`;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let templateReady: Promise<void> | undefined;

/** Creates and migrates the template once, under an advisory lock so parallel workers agree. */
async function ensureTemplate(url: string): Promise<void> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_advisory_lock(724001)`;
    const [exists] = await admin`select 1 from pg_database where datname = ${TEMPLATE}`;
    if (!exists) {
      await admin.unsafe(`create database ${TEMPLATE}`);
      const handle = await createDb({ databaseUrl: withDatabase(url, TEMPLATE), maxConnections: 1 });
      try {
        await handle.migrate();
      } catch (error) {
        await handle.close();
        await admin.unsafe(`drop database ${TEMPLATE}`);
        throw error;
      }
      await handle.close();
    }
    await admin`select pg_advisory_unlock(724001)`;
  } finally {
    await admin.end();
  }
}

/** A fresh PostgreSQL database from the template; `url` opens more handles on it (another "process"). */
export async function freshPostgres(url: string, maxConnections = 10): Promise<DbHandle & { url: string }> {
  templateReady ??= ensureTemplate(url);
  await templateReady;
  const name = `milepost_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${TEMPLATE}`);
  } finally {
    await admin.end();
  }
  const handle = await createDb({ databaseUrl: withDatabase(url, name), maxConnections });
  return {
    ...handle,
    url: withDatabase(url, name),
    close: async () => {
      await handle.close();
      const cleanup = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

export interface BackendCase {
  backend: Backend;
  open(): Promise<DbHandle>;
}

/** The backends this run can use: PGlite always, PostgreSQL when a server was provided. */
export function backends(options: { postgresOnly?: boolean } = {}): BackendCase[] {
  const list: BackendCase[] = [];
  if (!options.postgresOnly) list.push({ backend: 'pglite', open: freshPglite });
  if (pgUrl) list.push({ backend: 'postgres', open: () => freshPostgres(pgUrl) });
  return list;
}

/**
 * Runs `suite` once per backend, named `… [pglite]` / `… [postgres]`, with a fresh database
 * for every test. `current()` returns the open handle inside a test.
 */
export function describeEachBackend(
  name: string,
  suite: (current: () => DbHandle, backend: Backend) => void,
  options: { postgresOnly?: boolean } = {},
): void {
  const cases = backends(options);
  if (cases.length === 0) {
    describe.skip(`${name} [postgres]`, () => {});
    return;
  }
  for (const c of cases) {
    describe(`${name} [${c.backend}]`, () => {
      let handle: DbHandle | undefined;
      beforeEach(async () => {
        handle = await c.open();
      });
      afterEach(async () => {
        await handle?.close();
        handle = undefined;
      });
      suite(() => {
        if (!handle) throw new Error('no database: current() is only valid inside a test');
        return handle;
      }, c.backend);
    });
  }
}
