// Post vs void vs expiry racing on one hold: a hold resolves exactly once. (a) On a live hold,
// post and void race: exactly one is ok, the other gets hold_already_resolved. (b) At or just
// after the expiry instant, post, void and the expiry job race: the post is refused (an expired
// hold cannot be captured) and exactly one void — the caller's or the job's — resolves the hold.
// Each racer runs on its own connection. Real PostgreSQL only.

import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { createLedger, type Ledger, type LedgerOutcome } from '../../api/ledger/ledger';
import { balance } from '../../api/ledger/reads';
import type { Db } from '../../db/client';
import { describeEachBackend } from '../support/backends';
import {
  allOutcomes,
  closeGate,
  count,
  D,
  expectSound,
  extraConnections,
  fund,
  openPartner,
  openWallet,
  range,
  resolutionsOf,
  shuffled,
  tally,
  waitForLockWaiters,
} from './race-support';

const ROUNDS = 50;
const HOUR = 3_600_000;

describeEachBackend(
  'ledger: post vs void vs expiry racing on one hold',
  (current) => {
    const more = extraConnections(current);

    async function setup() {
      const clock = new FakeClock();
      const db = current().db;
      const wallet = await openWallet(db);
      const partner = await openPartner(db);
      const home = createLedger(db, clock, { batching: false });
      await fund(home, wallet, '10000.00');
      return { clock, db, wallet, partner, home };
    }

    const amountOf = (round: number) => D(`${(round % 5) + 1}.50`);

    async function placeHold(home: Ledger, wallet: string, partner: string, round: number, expiresAt: Date | null) {
      const h = await home.hold({ key: `hold-${round}`, debit: wallet, credit: partner, amount: amountOf(round), code: 'redeem', expiresAt });
      return h.transferId;
    }

    /** Exactly one of the two is ok; the loser is told the hold was already resolved. */
    function expectOneWinner(post: LedgerOutcome, voided: LedgerOutcome): 'post' | 'void' {
      const winners = [post, voided].filter((o) => o.ok);
      expect(winners, `post ${JSON.stringify(post)} / void ${JSON.stringify(voided)}`).toHaveLength(1);
      const loser = post.ok ? voided : post;
      expect(loser).toMatchObject({ ok: false, code: 'hold_already_resolved', replayed: false });
      return post.ok ? 'post' : 'void';
    }

    async function expectResolvedOnceAs(db: Db, holdId: string, winner: 'post' | 'void' | 'expiry') {
      const resolutions = await resolutionsOf(db, holdId);
      expect(resolutions, `resolutions of hold ${holdId}`).toHaveLength(1);
      expect(resolutions[0]!.type).toBe(winner === 'post' ? 'post_pending' : 'void_pending');
      if (winner !== 'post') expect(resolutions[0]!.code).toBe(winner === 'expiry' ? 'hold_expired' : 'void');
    }

    /** The wallet lost exactly the captured amounts, and nothing is held any more. */
    async function expectWalletAfter(db: Db, wallet: string, captured: Decimal) {
      const w = await balance(db, wallet);
      expect(w.posted.toFixed(2)).toBe(D('10000.00').minus(captured).toFixed(2));
      expect(w.held.toFixed(2)).toBe('0.00');
      expect(await count(db, sql`select 1 from ledger_open_holds`)).toBe(0);
    }

    it(`(a) live hold, ${ROUNDS} rounds: post and void race from two connections, exactly one wins each time`, async () => {
      const { clock, db, wallet, partner, home } = await setup();
      const [p, v] = await more.pools(2, 1);
      const poster = createLedger(p!.db, clock, { batching: false });
      const voider = createLedger(v!.db, clock, { batching: false });
      const wins = { post: 0, void: 0 };
      let captured = D(0);

      for (let round = 0; round < ROUNDS; round++) {
        const holdId = await placeHold(home, wallet, partner, round, new Date(clock.now().getTime() + HOUR));
        // Alternate who is sent first.
        const racers = [
          () => poster.run({ op: 'post', key: `post-${round}`, holdId }),
          () => voider.run({ op: 'void', key: `void-${round}`, holdId }),
        ];
        const started = round % 2 === 0 ? [racers[0]!(), racers[1]!()] : [racers[1]!(), racers[0]!()].reverse();
        const [post, voided] = await allOutcomes(started);
        const winner = expectOneWinner(post!, voided!);
        wins[winner]++;
        if (winner === 'post') captured = captured.plus(amountOf(round));
        await expectResolvedOnceAs(db, holdId, winner);
      }

      expect(wins.post + wins.void).toBe(ROUNDS);
      console.log(`[hold race a] post won ${wins.post}, void won ${wins.void} of ${ROUNDS}`);
      await expectWalletAfter(db, wallet, captured);
      expect((await balance(db, partner)).posted.toFixed(2)).toBe(captured.toFixed(2));
      await expectSound(db, clock.now());
    });

    it('(a) live hold, gated: post and void are both inside the database before either can finish, 20 rounds', async () => {
      const { clock, db, wallet, partner, home } = await setup();
      const [p, v] = await more.pools(2, 1);
      const raw = await more.raw(1);
      const poster = createLedger(p!.db, clock, { batching: false });
      const voider = createLedger(v!.db, clock, { batching: false });
      let captured = D(0);

      for (let round = 0; round < 20; round++) {
        const holdId = await placeHold(home, wallet, partner, round, null);
        // Holding the wallet's row lock: the first racer takes the open hold and waits on the
        // wallet; the second waits on the open hold.
        const gate = await closeGate(raw, wallet);
        const post = poster.run({ op: 'post', key: `post-${round}`, holdId, amount: D('1.00') });
        const voided = voider.run({ op: 'void', key: `void-${round}`, holdId });
        await waitForLockWaiters(db, 2);
        await gate.open();
        const [po, vo] = await allOutcomes([post, voided]);
        const winner = expectOneWinner(po!, vo!);
        if (winner === 'post') captured = captured.plus('1.00');
        await expectResolvedOnceAs(db, holdId, winner);
      }

      await expectWalletAfter(db, wallet, captured);
      await expectSound(db, clock.now());
    });

    it(`(a) ${ROUNDS} live holds raced all at once: posts and voids on a 24-connection pool, exactly one wins per hold`, async () => {
      const { clock, db, wallet, partner, home } = await setup();
      const pool = await more.pool(24);
      const ledger = createLedger(pool.db, clock, { batching: false });
      const holds: string[] = [];
      for (let round = 0; round < ROUNDS; round++) holds.push(await placeHold(home, wallet, partner, round, null));

      const calls = shuffled(
        holds.flatMap((holdId, round) => [
          { round, kind: 'post' as const, run: () => ledger.run({ op: 'post', key: `post-${round}`, holdId }) },
          { round, kind: 'void' as const, run: () => ledger.run({ op: 'void', key: `void-${round}`, holdId }) },
        ]),
        42,
      );
      const outcomes = await allOutcomes(calls.map((c) => c.run()));
      let captured = D(0);
      for (let round = 0; round < ROUNDS; round++) {
        const post = outcomes[calls.findIndex((c) => c.round === round && c.kind === 'post')]!;
        const voided = outcomes[calls.findIndex((c) => c.round === round && c.kind === 'void')]!;
        const winner = expectOneWinner(post, voided);
        if (winner === 'post') captured = captured.plus(amountOf(round));
        await expectResolvedOnceAs(db, holds[round]!, winner);
      }
      expect(await count(db, sql`select 1 from ledger_transfers where pending_id is not null`)).toBe(ROUNDS);
      await expectWalletAfter(db, wallet, captured);
      await expectSound(db, clock.now());
    });

    for (const opposite of [false, true]) {
      it(`(a) two micro-batchers on separate pools race over the same ${ROUNDS} holds in ${opposite ? 'opposite orders' : 'the same order'}: exactly one wins per hold`, async () => {
        const { clock, db, partner, home } = await setup();
        const [p, q] = await more.pools(2, 2);
        const first = createLedger(p!.db, clock); // batching on
        const second = createLedger(q!.db, clock);
        // One wallet per hold, so that no wallet row lock lines the two batches up: only the hold
        // itself decides who resolves it.
        const wallets: string[] = [];
        const holds: string[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          wallets.push(await openWallet(db));
          await fund(home, wallets[round]!, '10.00');
          holds.push(await placeHold(home, wallets[round]!, partner, round, null));
        }

        // The first batcher posts the even holds and voids the odd ones; the second does the
        // opposite. In the same order, the second batch trails the first hold by hold; in opposite
        // orders they meet in the middle — the deadlock-prone shape: a deadlock may happen inside
        // the database, but it must not reach a caller.
        const order = shuffled(range(ROUNDS), 7);
        const kindFor = (batcher: 0 | 1, round: number) => ((round + batcher) % 2 === 0 ? 'post' : 'void');
        const submit = (ledger: Ledger, batcher: 0 | 1, round: number) =>
          kindFor(batcher, round) === 'post'
            ? ledger.run({ op: 'post', key: `post-${round}`, holdId: holds[round]! })
            : ledger.run({ op: 'void', key: `void-${round}`, holdId: holds[round]! });
        const fromFirst = new Map<number, Promise<LedgerOutcome>>();
        const fromSecond = new Map<number, Promise<LedgerOutcome>>();
        for (let i = 0; i < ROUNDS; i++) {
          fromFirst.set(order[i]!, submit(first, 0, order[i]!));
          const j = opposite ? ROUNDS - 1 - i : i;
          fromSecond.set(order[j]!, submit(second, 1, order[j]!));
        }
        const a = await allOutcomes(range(ROUNDS).map((r) => fromFirst.get(r)!));
        const b = await allOutcomes(range(ROUNDS).map((r) => fromSecond.get(r)!));

        let captured = D(0);
        const wins = { post: 0, void: 0 };
        for (let round = 0; round < ROUNDS; round++) {
          const [post, voided] = kindFor(0, round) === 'post' ? [a[round]!, b[round]!] : [b[round]!, a[round]!];
          const winner = expectOneWinner(post, voided);
          wins[winner]++;
          if (winner === 'post') captured = captured.plus(amountOf(round));
          await expectResolvedOnceAs(db, holds[round]!, winner);
          const w = await balance(db, wallets[round]!);
          expect([w.posted.toFixed(2), w.held.toFixed(2)]).toEqual([D('10.00').minus(winner === 'post' ? amountOf(round) : 0).toFixed(2), '0.00']);
        }
        console.log(`[hold race a, batched, ${opposite ? 'opposite' : 'same'} order] post won ${wins.post}, void won ${wins.void} of ${ROUNDS}`);
        expect((await balance(db, partner)).posted.toFixed(2)).toBe(captured.toFixed(2));
        expect(await count(db, sql`select 1 from ledger_open_holds`)).toBe(0);
        await expectSound(db, clock.now());
      });
    }

    it(`(b) at/after expiry, ${ROUNDS} rounds: post, void and expireHolds() race on three connections; the post is refused and exactly one void resolves the hold`, async () => {
      const { clock, db, wallet, partner, home } = await setup();
      const [p, v, e] = await more.pools(3, 1);
      const poster = createLedger(p!.db, clock, { batching: false });
      const voider = createLedger(v!.db, clock, { batching: false });
      const expirer = createLedger(e!.db, clock, { batching: false });
      const wins = { void: 0, expiry: 0 };
      const postRefusals: Record<string, number> = {};

      for (let round = 0; round < ROUNDS; round++) {
        clock.advance(1_000);
        const expiresAt = new Date(clock.now().getTime() + 60_000);
        const holdId = await placeHold(home, wallet, partner, round, expiresAt);
        // Exactly at the expiry instant on even rounds, 1 ms after on odd ones.
        clock.set(new Date(expiresAt.getTime() + (round % 2)));

        const racers = [
          () => poster.run({ op: 'post', key: `post-${round}`, holdId }),
          () => voider.run({ op: 'void', key: `void-${round}`, holdId }),
          () => expirer.expireHolds(),
        ] as const;
        const order = shuffled([0, 1, 2], round + 1);
        const started: Array<Promise<unknown>> = [];
        for (const i of order) started[i] = racers[i]!();
        const [post, voided, expired] = (await allOutcomes(started)) as [LedgerOutcome, LedgerOutcome, number];

        expect(post.ok, `an expired hold was posted: ${JSON.stringify(post)}`).toBe(false);
        if (!post.ok) {
          expect(['hold_expired', 'hold_already_resolved']).toContain(post.code);
          postRefusals[post.code] = (postRefusals[post.code] ?? 0) + 1;
        }
        expect([0, 1]).toContain(expired);
        // Exactly one of the caller's void and the job's void took effect.
        expect(Number(voided.ok) + expired, `void ${JSON.stringify(voided)}, expireHolds() = ${expired}`).toBe(1);
        if (!voided.ok) expect(voided.code).toBe('hold_already_resolved');
        const winner = voided.ok ? 'void' : 'expiry';
        wins[winner]++;
        await expectResolvedOnceAs(db, holdId, winner);
      }

      console.log(`[hold race b] void won ${wins.void}, expiry won ${wins.expiry}; post refused as ${JSON.stringify(postRefusals)}`);
      await expectWalletAfter(db, wallet, D(0));
      expect((await balance(db, partner)).posted.toFixed(2)).toBe('0.00');
      expect(await count(db, sql`select 1 from ledger_transfers where type = 'post_pending'`)).toBe(0);
      await expectSound(db, clock.now());
      // The job has nothing left to do, and running it again changes nothing.
      expect(await expirer.expireHolds()).toBe(0);
    });

    it(`(b) ${ROUNDS} holds expiring at the same instant: posts, voids and three expiry jobs all at once; each hold resolves exactly once`, async () => {
      const { clock, db, wallet, partner, home } = await setup();
      const pool = await more.pool(24);
      const jobs = await more.pools(3, 1);
      const ledger = createLedger(pool.db, clock, { batching: false });
      const expiresAt = new Date(clock.now().getTime() + 60_000);
      const holds: string[] = [];
      for (let round = 0; round < ROUNDS; round++) holds.push(await placeHold(home, wallet, partner, round, expiresAt));
      clock.set(expiresAt);

      const posts = holds.map((holdId, r) => ledger.run({ op: 'post', key: `post-${r}`, holdId }));
      const voids = holds.map((holdId, r) => ledger.run({ op: 'void', key: `void-${r}`, holdId }));
      const expiries = jobs.map((j) => createLedger(j.db, clock, { batching: false }).expireHolds(7)); // small chunks: several jobs interleave
      const [postOutcomes, voidOutcomes, expired] = await Promise.all([allOutcomes(posts), allOutcomes(voids), allOutcomes(expiries)]);

      expect(tally(postOutcomes).ok ?? 0).toBe(0);
      const voidWins = voidOutcomes.filter((o) => o.ok).length;
      // Whatever the jobs did not finish in their chunks, one more run finishes.
      const leftover = await createLedger(db, clock, { batching: false }).expireHolds();
      const jobWins = expired.reduce((n, x) => n + x, 0) + leftover;
      expect(voidWins + jobWins).toBe(ROUNDS);
      for (const holdId of holds) expect(await resolutionsOf(db, holdId)).toHaveLength(1);
      expect(await count(db, sql`select 1 from ledger_transfers where code = 'hold_expired'`)).toBe(jobWins);
      console.log(`[hold race b, all at once] caller voids ${voidWins}, expiry jobs ${expired.join('+')}+${leftover}`);
      await expectWalletAfter(db, wallet, D(0));
      await expectSound(db, clock.now());
    });
  },
  { postgresOnly: true },
);
