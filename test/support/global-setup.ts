// Vitest globalSetup: makes a real PostgreSQL available to the test files as `inject('pgUrl')`.
//
//  - TEST_DATABASE_URL set      -> that URL is provided as-is (CI starts its own cluster).
//  - else, unless TEST_PG=off   -> a throwaway cluster is started here (if this machine can) and
//                                  stopped on teardown.
//  - otherwise                  -> null; suites against real PostgreSQL skip themselves.
//
// Test files read it with `import { inject } from 'vitest'; const pgUrl = inject('pgUrl');`.

import type { TestProject } from 'vitest/node';
import { canStartCluster, startCluster, PG_BIN_DIR } from './pg-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a PostgreSQL 15 server tests may use, or null when there is none. */
    pgUrl: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.TEST_DATABASE_URL?.trim();
  if (fromEnv) {
    project.provide('pgUrl', fromEnv);
    return async () => {};
  }

  let why: string;
  if (process.env.TEST_PG === 'off') {
    why = 'TEST_PG=off';
  } else if (!canStartCluster()) {
    why =
      typeof process.getuid === 'function' && process.getuid() === 0
        ? `cannot start a cluster as root here (need ${PG_BIN_DIR}/initdb, runuser and a postgres user)`
        : `no PostgreSQL 15 found at ${PG_BIN_DIR}`;
  } else {
    const started = Date.now();
    const cluster = await startCluster();
    console.log(`[pg] throwaway PostgreSQL 15 cluster on port ${cluster.port} (started in ${Date.now() - started} ms)`);
    project.provide('pgUrl', cluster.url);
    return () => cluster.stop();
  }

  console.log(`[pg] real-PostgreSQL suites are skipped: ${why} (set TEST_DATABASE_URL to use a running server)`);
  project.provide('pgUrl', null);
  return async () => {};
}
