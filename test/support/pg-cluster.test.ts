import { existsSync } from 'node:fs';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { canStartCluster, startCluster } from './pg-cluster';

describe('pg-cluster helper', () => {
  it.skipIf(!canStartCluster())('starts a throwaway cluster, answers queries, and cleans up on stop', async () => {
    const cluster = await startCluster();
    try {
      expect(cluster.url).toBe(`postgres://app@127.0.0.1:${cluster.port}/postgres`);
      expect(existsSync(cluster.dir)).toBe(true);
      const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
      try {
        const rows = await sql<{ one: number; fsync: string }[]>`select 1 as one, current_setting('fsync') as fsync`;
        expect(rows[0]).toEqual({ one: 1, fsync: 'off' });
      } finally {
        await sql.end();
      }
    } finally {
      await cluster.stop();
    }
    expect(existsSync(cluster.dir)).toBe(false);
    await cluster.stop(); // second stop is a no-op
  });
});
