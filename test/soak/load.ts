// A mixed load over real HTTP: drivers claim volunteering hours and the committee approves them,
// the committee grants instant awards, drivers redeem, partner staff confirm vouchers and drivers
// cancel them. Every write that takes an Idempotency-Key gets a fresh one; every request is kept
// with its key, its status (0 = no answer: the connection failed or was cut) and its answer.

import { randomUUID } from 'node:crypto';
import { localDate } from '../../api/earning/earn';
import type { Actor, Scene } from './scene';

export type Kind = 'claim' | 'approve' | 'award' | 'redeem' | 'confirm' | 'cancel';

export interface Sent {
  seq: number;
  kind: Kind;
  actor: Actor;
  path: string;
  body: unknown;
  key: string | null;
  /** HTTP status, or 0 when no answer came back. */
  status: number;
  /** Why there was no answer: the connection was refused (the server was down), or cut. */
  dropped: 'refused' | 'cut' | null;
  /** The parsed JSON answer (2xx and problem+json alike). */
  answer: Record<string, unknown> | null;
  /** The redemption a confirm or cancel, or the claim an approve, was about. */
  target: string | null;
  startedAt: number;
  ms: number;
}

export const acknowledged = (s: Sent) => s.status >= 200 && s.status < 300;

export type Mix = Record<Kind, number>;

export const DEFAULT_MIX: Mix = { redeem: 35, confirm: 15, cancel: 15, award: 15, claim: 10, approve: 10 };

export interface LoadOptions {
  scene: Scene;
  /** Where to send the next request (the server may move to another port after a restart). */
  base: () => string;
  workers: number;
  mix?: Mix;
  /** Keep every request that reached a server (crash proofs) or only count them (soak). */
  keep?: boolean;
  timeoutMs?: number;
}

interface HeldVoucher {
  id: string;
  code: string;
  partnerId: string;
  driver: Actor;
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const take = <T>(xs: T[]): T | undefined => (xs.length ? xs.splice(Math.floor(Math.random() * xs.length), 1)[0] : undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends one request; never throws (a failed connection is status 0). */
export async function send(base: string, actor: Actor, path: string, body: unknown, key: string | null, timeoutMs = 15_000) {
  const headers: Record<string, string> = { authorization: `Bearer ${actor.token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (key) headers['idempotency-key'] = key;
  try {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let answer: Record<string, unknown> | null = null;
    try {
      answer = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      answer = { unparsable: text.slice(0, 200) };
    }
    return { status: res.status, answer, dropped: null };
  } catch (error) {
    const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    return { status: 0, answer: null, dropped: code === 'ECONNREFUSED' ? ('refused' as const) : ('cut' as const) };
  }
}

export class MixedLoad {
  readonly sent: Sent[] = [];
  readonly counts = { total: 0, ok: 0, clientErrors: 0, serverErrors: 0, noAnswer: 0, refusedConnections: 0 };
  /** Per finished request: when it started, its status (0 = no answer) and how long it took. */
  readonly timeline: Array<{ at: number; status: number; ms: number }> = [];
  /** Requests sent and not yet answered. */
  inFlight = 0;
  private readonly held: HeldVoucher[] = [];
  private readonly claims: string[] = [];
  private seq = 0;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly run = randomUUID().slice(0, 8);
  private readonly weights: Array<[Kind, number]>;
  private readonly totalWeight: number;

  constructor(private readonly options: LoadOptions) {
    this.weights = Object.entries(options.mix ?? DEFAULT_MIX) as Array<[Kind, number]>;
    this.totalWeight = this.weights.reduce((s, [, w]) => s + w, 0);
  }

  start() {
    this.running = true;
    this.loops = Array.from({ length: this.options.workers }, () => this.worker());
  }

  async stop() {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async worker() {
    while (this.running) {
      const s = await this.step();
      if (s.status === 0) await sleep(250);
    }
  }

  private choose(): Kind {
    let r = Math.random() * this.totalWeight;
    for (const [kind, w] of this.weights) {
      r -= w;
      if (r < 0) return kind;
    }
    return 'redeem';
  }

  private key(kind: Kind) {
    return `rel-${this.run}-${kind}-${++this.seq}`;
  }

  private async step(): Promise<Sent> {
    const { scene } = this.options;
    let kind = this.choose();
    if ((kind === 'confirm' || kind === 'cancel') && this.held.length === 0) kind = 'redeem';
    if (kind === 'approve' && this.claims.length === 0) kind = 'claim';
    switch (kind) {
      case 'redeem': {
        const driver = pick(scene.drivers);
        const sent = await this.request('redeem', driver, '/api/redemptions', { offerId: pick(scene.offers).id }, this.key(kind), null);
        if (acknowledged(sent)) {
          const a = sent.answer as { id: string; code: string; partner: { id: string } };
          this.held.push({ id: a.id, code: a.code, partnerId: a.partner.id, driver });
        }
        return sent;
      }
      case 'confirm': {
        const v = take(this.held)!;
        return this.request('confirm', scene.staff.get(v.partnerId)!, '/api/partner/redemptions/confirm', { code: v.code }, null, v.id);
      }
      case 'cancel': {
        const v = take(this.held)!;
        return this.request('cancel', v.driver, `/api/redemptions/${v.id}/cancel`, undefined, null, v.id);
      }
      case 'award': {
        const driver = pick(scene.drivers);
        return this.request('award', scene.committee, '/api/awards', { driverId: driver.id, points: '25.00', reason: 'Reliability run award' }, this.key(kind), null);
      }
      case 'claim': {
        const body = { event: 'Reliability convoy', date: localDate(new Date()), hours: '1.50' };
        const sent = await this.request('claim', pick(scene.drivers), '/api/volunteering', body, this.key(kind), null);
        if (acknowledged(sent)) this.claims.push((sent.answer as { id: string }).id);
        return sent;
      }
      case 'approve': {
        const id = take(this.claims)!;
        return this.request('approve', scene.committee, `/api/volunteering/${id}/approve`, undefined, null, id);
      }
    }
  }

  private async request(kind: Kind, actor: Actor, path: string, body: unknown, key: string | null, target: string | null): Promise<Sent> {
    const startedAt = Date.now();
    const t0 = performance.now();
    this.inFlight++;
    const { status, answer, dropped } = await send(this.options.base(), actor, path, body, key, this.options.timeoutMs);
    this.inFlight--;
    const sent: Sent = { seq: this.sent.length, kind, actor, path, body, key, status, dropped, answer, target, startedAt, ms: performance.now() - t0 };
    this.counts.total++;
    if (dropped === 'refused') this.counts.refusedConnections++;
    if (status === 0) this.counts.noAnswer++;
    else if (status >= 500) this.counts.serverErrors++;
    else if (status >= 400) this.counts.clientErrors++;
    else this.counts.ok++;
    this.timeline.push({ at: startedAt, status, ms: sent.ms });
    // A refused connection never reached a server: nothing to prove about it, so it is only counted.
    if (this.options.keep !== false && dropped !== 'refused') this.sent.push(sent);
    return sent;
  }
}
