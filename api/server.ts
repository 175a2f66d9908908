import { createDb, type DbHandle } from '../db/client';
import type { Config } from './config';

/**
 * Opens the configured database and applies migrations: the start of every entry point. A
 * cluster's workers open it with `migrate: false`, the primary having migrated it.
 */
export async function openDatabase(config: Config, { migrate = true }: { migrate?: boolean } = {}): Promise<DbHandle> {
  const handle = await createDb(
    'url' in config.database ? { databaseUrl: config.database.url } : { dataDir: config.database.dataDir },
  );
  if (!migrate) return handle;
  try {
    await handle.migrate();
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

