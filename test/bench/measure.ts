// Measuring helpers shared by the benchmarks: environment numbers, percentiles, CPU accounting
// from /proc, and which code a run measured.

import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export const ROOT = new URL('../..', import.meta.url).pathname;

export function positiveNumber(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`expected a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

export interface Stats {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentiles over every sample (sorted copy). */
export function stats(samples: ArrayLike<number>): Stats {
  if (samples.length === 0) return { n: 0, p50: NaN, p99: NaN, mean: NaN, max: NaN };
  const s = Float64Array.from(samples).sort();
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  let sum = 0;
  for (const v of s) sum += v;
  return { n: s.length, p50: rank(0.5), p99: rank(0.99), mean: sum / s.length, max: s[s.length - 1]! };
}

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime, stime, cutime+cstime (also apart) and ppid from /proc/PID/stat (fields after the command name). */
export function procStat(pid: number): { ppid: number; self: number; user: number; system: number; children: number; childrenUser: number; childrenSystem: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // f[0] = state (field 3); ppid field 4 -> f[1]; utime field 14 -> f[11]; stime f[12]; cutime f[13]; cstime f[14]
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const user = Number(f[11]);
    const system = Number(f[12]);
    const childrenUser = Number(f[13]);
    const childrenSystem = Number(f[14]);
    return { ppid: Number(f[1]), self: user + system, user, system, children: childrenUser + childrenSystem, childrenUser, childrenSystem };
  } catch {
    return null;
  }
}

/**
 * CPU seconds of a process and its children (all threads), split into user and kernel time, or
 * null: its own time, its live children's and its exited children's (a cluster's primary and its
 * workers).
 */
export function processCpuSeconds(pid: number | null): { user: number; system: number } | null {
  if (pid === null) return null;
  const st = procStat(pid);
  if (!st) return null;
  let user = st.user + st.childrenUser;
  let system = st.system + st.childrenSystem;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const child = procStat(Number(name));
    if (child && child.ppid === pid) {
      user += child.user;
      system += child.system;
    }
  }
  return { user: user / CLK_TCK, system: system / CLK_TCK };
}

/** The postmaster's process id of a cluster started in `dir` (the first line of postmaster.pid). */
export function postmasterPidOf(dir: string): number {
  return Number(readFileSync(`${dir}/postmaster.pid`, 'utf8').split('\n')[0]);
}

/**
 * CPU seconds used so far by a postmaster and all its backends: live children's own time plus
 * the postmaster's own and reaped-children time (exited backends are accounted there).
 */
export function postgresCpuSeconds(postmasterPid: number | null): number | null {
  const cpu = processCpuSeconds(postmasterPid);
  return cpu && cpu.user + cpu.system;
}

export function clientCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Busy CPU seconds of the whole machine so far (all CPUs, from /proc/stat), or null off Linux. */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...
    const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    return busy / CLK_TCK;
  } catch {
    return null;
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The commit measured, and whether `paths` had uncommitted changes. */
export function codeVersion(paths: string[], what: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', ...paths], { cwd: ROOT, encoding: 'utf8' }).trimEnd();
    return `commit ${head}${dirty ? ` + uncommitted changes to ${what} (${dirty.split('\n').map((l) => l.slice(3)).join(', ')})` : ` (${what} as committed)`}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

// pgbench, the reference the ledger benchmarks measure against

/** The durable server the ledger benchmarks start (pgbench TPC-B runs on it too). */
export const LEDGER_CLUSTER_SETTINGS = {
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  shared_buffers: '256MB',
  max_connections: '200',
};

export function pgbenchBinary(): string {
  for (const p of ['/usr/lib/postgresql/15/bin/pgbench', '/usr/bin/pgbench']) if (existsSync(p)) return p;
  throw new Error('pgbench not found (looked in /usr/lib/postgresql/15/bin and /usr/bin)');
}

/** Runs a program to its end (in /tmp); rejects with its output when it fails. */
export function runFile(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: '/tmp', env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr}\n${stdout}`));
      else resolve({ stdout, stderr });
    });
  });
}

export interface ConnParts {
  host: string;
  port: string;
  user: string;
  password: string | null;
}

export function connParts(url: string): ConnParts {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port || '5432',
    user: decodeURIComponent(u.username) || 'postgres',
    password: u.password ? decodeURIComponent(u.password) : null,
  };
}

/**
 * Runs pgbench for `seconds` (prepared statements) and measures the PostgreSQL server's CPU over
 * it. Rejects if any transaction failed.
 */
export async function pgbench(url: string, database: string, args: string[], seconds: number, postmasterPid: number) {
  const c = connParts(url);
  const conn = ['-h', c.host, '-p', c.port, '-U', c.user];
  const cpu0 = postgresCpuSeconds(postmasterPid);
  const t0 = performance.now();
  const { stdout } = await runFile(pgbenchBinary(), [...args, '-T', String(Math.round(seconds)), '-M', 'prepared', ...conn, database], { ...process.env });
  const elapsed = (performance.now() - t0) / 1000;
  // pgbench's backends exit as it ends; their time counts once the postmaster has reaped them.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const cpu = (postgresCpuSeconds(postmasterPid) ?? NaN) - (cpu0 ?? NaN);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  const failed = /number of failed transactions: (\d+)/.exec(stdout);
  if (!tps) throw new Error(`no tps in pgbench's output:\n${stdout}`);
  if (failed && Number(failed[1]) > 0) throw new Error(`pgbench: ${failed[1]} failed transactions:\n${stdout}`);
  return { tps: Number(tps[1]), serverCpu: cpu, seconds: elapsed };
}
