import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './pg-cluster';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `npm start`'s server as a child process (`node --import tsx api/main.ts`), on a free port. */
export interface AppServer {
  pid: number;
  base: string;
  port: number;
  exited: () => { code: number | null; signal: string | null } | null;
  /** The last lines it printed (stdout and stderr), for a failure message. */
  tail: () => string;
  /** The last 2,000 lines it printed. */
  lines: () => string[];
  /** How many JSON log lines at warn or error level it printed. */
  warnings: () => number;
  stop: () => Promise<void>;
}

/**
 * Starts the server with `env` on top of this process's environment (DATABASE_URL or DATA_DIR,
 * SEED, …; undefined removes a variable) and resolves when /healthz answers 200, within `startTimeoutMs` (tsx compiles the
 * app on first start). `entry` runs another server script the same way (a benchmark's reference).
 */
export async function startServer(
  env: Record<string, string | undefined>,
  { startTimeoutMs = 90_000, entry = 'api/main.ts' }: { startTimeoutMs?: number; entry?: string } = {},
): Promise<AppServer> {
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
  // BENCH_CPU_PROF=DIR writes the server's V8 CPU profile there when it stops (for benchmarks).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let warnings = 0;
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      if (/"level":"(warn|error)"/.test(line)) warnings++;
      lines.push(line);
      if (lines.length > 2000) lines.shift();
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exit: { code: number | null; signal: string | null } | null = null;
  const exitedPromise = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  const server: AppServer = {
    pid: child.pid!,
    base: `http://127.0.0.1:${port}`,
    port,
    exited: () => exit,
    tail: () => lines.slice(-40).join('\n'),
    lines: () => [...lines],
    warnings: () => warnings,
    async stop() {
      if (exit) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
  const until = performance.now() + startTimeoutMs;
  for (;;) {
    if (exit) throw new Error(`the server exited during start-up (${JSON.stringify(exit)}):\n${server.tail()}`);
    try {
      const res = await fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    if (performance.now() > until) {
      await server.stop();
      throw new Error(`the server did not answer /healthz with 200 within ${startTimeoutMs / 1000} s:\n${server.tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
