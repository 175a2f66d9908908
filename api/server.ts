import { createDb, type DbHandle } from '../db/client';
import type { Config } from './config';

/** Opens the configured database and applies migrations: the start of every entry point. */
export async function openDatabase(config: Config): Promise<DbHandle> {
  const handle = await createDb(
    'url' in config.database ? { databaseUrl: config.database.url } : { dataDir: config.database.dataDir },
  );
  try {
    await handle.migrate();
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

