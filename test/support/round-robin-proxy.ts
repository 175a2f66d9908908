import { createServer, request, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { freePort } from './pg-cluster';

/**
 * A small round-robin HTTP proxy with keep-alive to its upstreams, for running several server
 * processes behind one address. A refused connection (a process that is down) moves the request
 * to the next upstream, as nginx's `proxy_next_upstream error` does; an upstream that dies after
 * the request reached it drops the client's connection, so the client sees what it would see
 * talking to that process directly: no answer.
 */
export interface RoundRobinProxy {
  base: string;
  /** Replaces the upstream list (e.g. after a restart on a new port). */
  setTargets(bases: string[]): void;
  /** Requests each upstream was given, by base URL. */
  served: Map<string, number>;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(targets: string[]): Promise<RoundRobinProxy> {
  let upstreams = targets.map((t) => new URL(t));
  let turn = 0;
  const served = new Map<string, number>();
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, attempt: number) => {
    const upstream = upstreams[turn++ % upstreams.length]!;
    const upstreamReq = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (upstreamRes) => {
        served.set(upstream.origin, (served.get(upstream.origin) ?? 0) + 1);
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
        upstreamRes.on('error', () => res.destroy());
      },
    );
    upstreamReq.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' && attempt < upstreams.length * 4) {
        setTimeout(() => forward(req, res, body, attempt + 1), attempt >= upstreams.length ? 100 : 0);
        return;
      }
      res.destroy();
    });
    upstreamReq.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), 0));
  });
  server.keepAliveTimeout = 30_000;
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${port}`,
    served,
    setTargets(bases) {
      upstreams = bases.map((t) => new URL(t));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
