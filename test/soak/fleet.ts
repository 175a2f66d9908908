// One or more server processes on one database, behind a round-robin proxy when there are
// several, that can be killed with SIGKILL and restarted.

import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy';
import { startServer, type AppServer } from '../support/server-process';

export type Where = { url: string } | { dataDir: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Fleet {
  servers: AppServer[] = [];
  proxy: RoundRobinProxy | null = null;
  kills = 0;
  restarts = 0;

  private constructor(private readonly env: Record<string, string | undefined>) {}

  static async start(where: Where, processes: number, extraEnv: Record<string, string | undefined> = {}): Promise<Fleet> {
    const env = { ...('url' in where ? { DATABASE_URL: where.url, DATA_DIR: undefined } : { DATA_DIR: where.dataDir, DATABASE_URL: undefined }), SEED: 'none', ...extraEnv };
    const fleet = new Fleet(env);
    fleet.servers = await Promise.all(Array.from({ length: processes }, () => startServer(env)));
    if (processes > 1) fleet.proxy = await startRoundRobinProxy(fleet.servers.map((s) => s.base));
    return fleet;
  }

  /** Where clients send requests: the proxy, or the one server (its port changes on restart). */
  base(): string {
    return this.proxy ? this.proxy.base : this.servers[0]!.base;
  }

  /** SIGKILLs server `i` (no shutdown of any kind) and waits until it is gone. */
  async kill(i: number): Promise<void> {
    const server = this.servers[i]!;
    process.kill(server.pid, 'SIGKILL');
    while (!server.exited()) await sleep(10);
    this.kills++;
  }

  async restart(i: number): Promise<void> {
    this.servers[i] = await startServer(this.env);
    this.restarts++;
    this.proxy?.setTargets(this.servers.map((s) => s.base));
  }

  /** Warn/error log lines printed by the processes still running. */
  warnings(): number {
    return this.servers.reduce((n, s) => n + s.warnings(), 0);
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop()));
    await this.proxy?.close();
  }
}
