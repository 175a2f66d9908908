// Throwaway PostgreSQL 15 clusters for tests and benchmarks.
//
// startCluster() runs initdb into a fresh directory, starts a postmaster on a free TCP port bound to
// 127.0.0.1 (unix socket in /tmp) and returns its URL plus an idempotent stop() that shuts it down
// with `-m immediate` and deletes the directory. PostgreSQL refuses to run as root, so when this
// process is root the binaries are run via `runuser -u postgres --` and the directory is handed to
// the postgres user.
//
// Defaults are tuned for speed (fsync/synchronous_commit/full_page_writes off); benchmarks that
// need durable behaviour pass `settings: { fsync: 'on', synchronous_commit: 'on', ... }`.

import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PG_BIN_DIR = '/usr/lib/postgresql/15/bin';

export interface StartClusterOptions {
  /** TCP port to listen on. Default: a free port picked by the OS (retried a few times). */
  port?: number;
  /** Data directory. Must not exist or be empty. Default: a fresh temp dir (under /tmp when root). */
  dir?: string;
  /** Extra/overriding server settings, passed as `-c name=value`. */
  settings?: Record<string, string>;
}

export interface PgCluster {
  /** `postgres://app@127.0.0.1:PORT/postgres` (trust auth, superuser `app`). */
  url: string;
  port: number;
  dir: string;
  /** Stops the server (immediate mode) and removes the directory. Safe to call more than once. */
  stop(): Promise<void>;
  /** Stops the server but keeps its data, to start it again with `resume()` (a database outage). */
  halt(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** Starts a halted server again on the same port, directory and settings. */
  resume(): Promise<void>;
}

export const DEFAULT_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '200',
  shared_buffers: '128MB',
});

const SUPERUSER = 'app';
const PORT_ATTEMPTS = 5;
const START_TIMEOUT_S = 60;

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function findRunuser(): string | null {
  for (const p of ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser', '/bin/runuser']) {
    if (existsSync(p)) return p;
  }
  return null;
}

interface PosixUser {
  uid: number;
  gid: number;
}

function lookupUser(name: string): PosixUser | null {
  const parse = (line: string | undefined): PosixUser | null => {
    if (!line) return null;
    const f = line.split(':');
    if (f[0] !== name || f.length < 4) return null;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  };
  try {
    const out = execFileSync('getent', ['passwd', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const u = parse(out.trim().split('\n')[0]);
    if (u) return u;
  } catch {
    // no getent, or no such user: fall back to /etc/passwd
  }
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const u = parse(line);
      if (u) return u;
    }
  } catch {
    // ignore
  }
  return null;
}

/**
 * True when a cluster can be started here: PostgreSQL 15's initdb is installed and either this
 * process is not root, or `runuser` and a `postgres` user exist.
 */
export function canStartCluster(): boolean {
  if (!existsSync(join(PG_BIN_DIR, 'initdb')) || !existsSync(join(PG_BIN_DIR, 'pg_ctl'))) return false;
  if (!isRoot()) return true;
  return findRunuser() !== null && lookupUser('postgres') !== null;
}

interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a PostgreSQL binary (as `postgres` when root). Rejects with an Error carrying its output. */
function runPg(bin: string, args: string[], timeoutMs = 120_000): Promise<RunResult> {
  const exe = join(PG_BIN_DIR, bin);
  let file = exe;
  let argv = args;
  if (isRoot()) {
    const runuser = findRunuser();
    if (!runuser) throw new Error('pg-cluster: running as root but runuser was not found');
    file = runuser;
    argv = ['-u', 'postgres', '--', exe, ...args];
  }
  return new Promise((resolve, reject) => {
    execFile(
      file,
      argv,
      // cwd /tmp: the postgres user may not be able to read the caller's cwd (e.g. /root).
      { cwd: '/tmp', encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const how = err.killed ? `killed (${err.signal ?? 'timeout'})` : `exit ${String(err.code ?? err.signal ?? '?')}`;
          const e = new Error(
            `pg-cluster: ${bin} ${args.join(' ')} failed (${how})` +
              (stderr.trim() ? `\n--- stderr ---\n${stderr.trim()}` : '') +
              (stdout.trim() ? `\n--- stdout ---\n${stdout.trim()}` : ''),
          );
          reject(e);
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/** A currently free TCP port on 127.0.0.1 (bind to 0, read the port, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('pg-cluster: could not determine a free port'));
        return;
      }
      const { port } = addr;
      srv.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

function logTail(file: string, lines = 30): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log file)';
  }
}

/** Quotes `s` for the shell command line pg_ctl builds from its -o option. */
function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function validateSettings(settings: Record<string, string>): void {
  for (const name of Object.keys(settings)) {
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) throw new Error(`pg-cluster: invalid setting name ${JSON.stringify(name)}`);
  }
}

function serverOptions(port: number, settings: Record<string, string>): string {
  const parts = ['-p', String(port), '-k', '/tmp', '-c', 'listen_addresses=127.0.0.1'];
  for (const [name, value] of Object.entries(settings)) {
    parts.push('-c', shQuote(`${name}=${value}`));
  }
  return parts.join(' ');
}

function prepareDir(requested: string | undefined): { dir: string; created: boolean } {
  const root = isRoot();
  let dir: string;
  let created = false;
  if (requested) {
    dir = requested;
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      created = true;
    } else if (!statSync(dir).isDirectory()) {
      throw new Error(`pg-cluster: ${dir} exists and is not a directory`);
    }
  } else {
    // As root the postgres user must be able to reach the directory, so keep it directly in /tmp.
    dir = mkdtempSync(join(root ? '/tmp' : tmpdir(), 'milepost-pg-'));
    created = true;
  }
  if (root) {
    const pg = lookupUser('postgres');
    if (!pg) throw new Error('pg-cluster: running as root but there is no postgres user');
    chownSync(dir, pg.uid, pg.gid);
  }
  return { dir, created };
}

// Clusters still running when this process exits are stopped synchronously, best effort, so an
// aborted run does not leave postmasters behind.
const live = new Map<string, () => void>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const stopSync of live.values()) stopSync();
  });
}

function stopSyncBestEffort(dir: string, removeDir: boolean): void {
  const exe = join(PG_BIN_DIR, 'pg_ctl');
  const args = ['-D', dir, '-m', 'immediate', '-w', 'stop'];
  try {
    if (isRoot()) {
      execFileSync(findRunuser() ?? 'runuser', ['-u', 'postgres', '--', exe, ...args], { cwd: '/tmp', stdio: 'ignore', timeout: 30_000 });
    } else {
      execFileSync(exe, args, { cwd: '/tmp', stdio: 'ignore', timeout: 30_000 });
    }
  } catch {
    // not running
  }
  if (removeDir) rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts a throwaway PostgreSQL 15 cluster (superuser `app`, trust auth, database `postgres`).
 * Throws with the server log tail if it cannot be started.
 */
export async function startCluster(opts: StartClusterOptions = {}): Promise<PgCluster> {
  if (!canStartCluster()) {
    throw new Error(
      `pg-cluster: cannot start PostgreSQL here (need ${PG_BIN_DIR}/initdb` +
        (isRoot() ? ', and as root: runuser and a postgres user)' : ')'),
    );
  }
  const settings = { ...DEFAULT_SETTINGS, ...(opts.settings ?? {}) };
  validateSettings(settings);
  const { dir } = prepareDir(opts.dir);
  const logFile = join(dir, 'log');

  try {
    await runPg('initdb', ['-D', dir, '--auth=trust', '-U', SUPERUSER, '-E', 'UTF8', '--no-sync']);
  } catch (err) {
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const attempts = opts.port !== undefined ? 1 : PORT_ATTEMPTS;
  const failures: string[] = [];
  let port = 0;
  let started = false;
  for (let attempt = 1; attempt <= attempts && !started; attempt++) {
    port = opts.port ?? (await freePort());
    const logOffset = existsSync(logFile) ? statSync(logFile).size : 0;
    try {
      await runPg(
        'pg_ctl',
        ['-D', dir, '-w', '-t', String(START_TIMEOUT_S), '-l', logFile, '-o', serverOptions(port, settings), 'start'],
        (START_TIMEOUT_S + 30) * 1000,
      );
      started = true;
    } catch (err) {
      failures.push(`attempt ${attempt} (port ${port}): ${(err as Error).message}`);
      // A half-started postmaster (e.g. timed out) must not linger before the next attempt.
      stopSyncBestEffort(dir, false);
      // Only a lost race for the port is worth another try; anything else will fail again.
      const attemptLog = existsSync(logFile) ? readFileSync(logFile).subarray(logOffset).toString('utf8') : '';
      if (!/already in use|could not create any TCP\/IP sockets|could not create lock file/i.test(attemptLog)) break;
    }
  }
  if (!started) {
    const tail = logTail(logFile);
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `pg-cluster: could not start PostgreSQL in ${dir}\n${failures.join('\n')}\n--- tail of ${logFile} ---\n${tail}`,
    );
  }

  live.set(dir, () => stopSyncBestEffort(dir, true));
  installExitHook();

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      live.delete(dir);
      try {
        await runPg('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', 'stop'], 60_000);
      } catch {
        // already stopped or never fully started: removing the directory is all that is left
      }
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const halt = async (mode: 'smart' | 'fast' | 'immediate' = 'fast'): Promise<void> => {
    await runPg('pg_ctl', ['-D', dir, '-m', mode, '-w', 'stop'], 60_000);
  };
  const resume = async (): Promise<void> => {
    await runPg(
      'pg_ctl',
      ['-D', dir, '-w', '-t', String(START_TIMEOUT_S), '-l', logFile, '-o', serverOptions(port, settings), 'start'],
      (START_TIMEOUT_S + 30) * 1000,
    );
  };

  return { url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`, port, dir, stop, halt, resume };
}
