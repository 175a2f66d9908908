import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite, PgliteSession } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { PostgresJsSession } from 'drizzle-orm/postgres-js/session';
import postgres from 'postgres';
import * as schema from './schema/index';
import { withAfterCommit } from './after-commit';

export type Schema = typeof schema;
/** Either driver: every module is written against this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Backend = 'pglite' | 'postgres';

export interface DbHandle {
  db: Db;
  backend: Backend;
  /** Apply the committed SQL migrations (idempotent). */
  migrate(): Promise<void>;
  /**
   * Calls `onMessage` with each NOTIFY on `channel` from any process, and `onListen` each time
   * the listening starts: first, and again after its connection was lost and came back (what was
   * sent meanwhile is gone). PGlite belongs to one process, which hears nobody else: it only calls
   * `onListen`. `unlisten` stops this listener (and does nothing if it was already dropped).
   */
  listen(channel: string, onMessage: (payload: string) => void, onListen: () => void): Promise<{ unlisten(): Promise<void> }>;
  close(): Promise<void>;
}

export type DbConfig =
  | { databaseUrl: string; maxConnections?: number }
  | { dataDir: string | null; loadDataDir?: Blob };

/**
 * drizzle runs every query on postgres.js as an unnamed statement (`prepare: false`), and
 * postgres.js then asks the server to describe each parameterised query before binding it: two
 * round trips per query, and the server parses and plans it every time. Named statements are
 * described once per connection and then cost one round trip, with the plan cached. postgres.js
 * re-prepares a statement the schema has invalidated, and its connections are recycled within an
 * hour (`max_lifetime`), which bounds the statements a connection keeps.
 */
function preparedStatementsOnPostgres(): void {
  const prepareQuery = PostgresJsSession.prototype.prepareQuery;
  PostgresJsSession.prototype.prepareQuery = function (this: unknown, ...args: Parameters<typeof prepareQuery>) {
    // drizzle prepares exactly the queries given a name (the third argument).
    args[2] ??= '';
    return prepareQuery.apply(this, args);
  } as typeof prepareQuery;
}
preparedStatementsOnPostgres();

/**
 * drizzle hands PGlite, with every query, parsers that keep dates, timestamps and intervals as
 * the server's text. PGlite merges per-query parsers into its own map of ~300 types by copying
 * that map, which cost ~0.09 ms a query (a third of a `select 1`). The same parsers are given
 * to PGlite once, when it opens (`pgliteParsers`), and drizzle's queries go without them.
 */
const asText = (value: string) => value;
const pgliteParsers = Object.fromEntries(
  [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map((oid) => [oid, asText]),
);
function parsersOnceOnPglite(): void {
  const prepareQuery = PgliteSession.prototype.prepareQuery;
  PgliteSession.prototype.prepareQuery = function (this: unknown, ...args: Parameters<typeof prepareQuery>) {
    const query = prepareQuery.apply(this, args) as unknown as { rawQueryConfig: object; queryConfig: object };
    query.rawQueryConfig = { rowMode: 'object' };
    query.queryConfig = { rowMode: 'array' };
    return query as unknown as ReturnType<typeof prepareQuery>;
  } as typeof prepareQuery;
}
parsersOnceOnPglite();

export const migrationsFolder = new URL('./migrations', import.meta.url).pathname;

/**
 * Opens PostgreSQL through postgres.js when a URL is given, otherwise PGlite with its data in
 * `dataDir` (null = in memory). The same schema, migrations and code run on both.
 */
export async function createDb(config: DbConfig): Promise<DbHandle> {
  if ('databaseUrl' in config) {
    const options = {
      // While the database is away a request fails in seconds (a 503), instead of waiting 30 s.
      connect_timeout: 5,
      // Retry a lost server every ~0.5 s, not postgres.js's growing delay of up to 20 s, during
      // which queries queue and hang rather than fail; service resumes as soon as it is back.
      backoff: () => 0.5,
      onnotice: () => {},
      connection: { application_name: 'milepost' },
    };
    const client = postgres(config.databaseUrl, { ...options, max: config.maxConnections ?? 10 });
    const listeners = new Set<postgres.Sql>();
    const db = withAfterCommit(drizzlePostgres({ client, schema }) as unknown as Db);
    return {
      db,
      backend: 'postgres',
      migrate: () => migratePostgres(db as never, { migrationsFolder }),
      // Each listener has a client of its own, on which postgres.js listens on a connection of
      // its own and listens again when it comes back. Ending that client forgets the listener
      // whatever state postgres.js left it in: a LISTEN that failed stays failed in its client,
      // and a listener re-made after a reconnect can no longer be unlistened by its first handle.
      listen: async (channel, onMessage, onListen) => {
        const own = postgres(config.databaseUrl, { ...options, max: 1 });
        listeners.add(own);
        const end = async () => {
          listeners.delete(own);
          await own.end({ timeout: 1 });
        };
        try {
          await own.listen(channel, onMessage, onListen);
        } catch (error) {
          await end().catch(() => {});
          throw error;
        }
        return { unlisten: end };
      },
      close: async () => {
        await Promise.all([...listeners].map((own) => own.end({ timeout: 1 })));
        await client.end({ timeout: 5 });
      },
    };
  }
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  const client = await PGlite.create(config.dataDir ?? undefined, {
    loadDataDir: config.loadDataDir,
    relaxedDurability: false,
    parsers: pgliteParsers,
  });
  const db = withAfterCommit(drizzlePglite({ client, schema }) as unknown as Db);
  return {
    db,
    backend: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    listen: async (_channel, _onMessage, onListen) => {
      onListen();
      return { unlisten: async () => {} };
    },
    close: () => client.close(),
  };
}

/** Rows of a raw query, whichever driver ran it (postgres.js returns an array, PGlite `{ rows }`). */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** Ids as one uuid[] parameter (ids the database gave out: no quoting needed). */
export const uuidArray = (ids: readonly string[]): SQL => sql`${`{${ids.join(',')}}`}::uuid[]`;

export async function queryOne<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T | undefined> {
  return (await queryRows<T>(db, query))[0];
}

/**
 * Refreshes the planner's statistics of the tables that grew since they were last analysed (by a
 * fifth, or from nothing), table by table; returns their names. PostgreSQL's autovacuum does this
 * by itself. PGlite has no autovacuum, and there a table nobody analyses keeps the default
 * guesses however big it gets: plans made for an empty table (reading a whole table to check
 * one key) ran every ledger transfer slower the more transfers there were. The server runs this
 * as a background job on PGlite.
 */
export async function analyzeGrownTables(db: Db): Promise<string[]> {
  const grown = await queryRows<{ name: string }>(
    db,
    sql`select c.oid::regclass::text as name
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p')
           and pg_relation_size(c.oid) > 0
           and (c.reltuples < 0 or pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.2 + 4)
         order by 1`,
  );
  for (const { name } of grown) await db.execute(sql.raw(`analyze ${name}`));
  return grown.map((g) => g.name);
}

/** A postgres.js pool (several connections) rather than PGlite's single one. */
export function hasConnectionPool(db: Db): boolean {
  const client = (db as unknown as { $client?: { reserve?: unknown } }).$client;
  return typeof client?.reserve === 'function';
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
