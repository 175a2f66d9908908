// `npm run soak:multi`: two server processes on one throwaway PostgreSQL behind the round-robin
// proxy: the stock and wallet races, the jobs-run-once proof, and the crash run with kill -9 of
// one process at a time (MULTI_KILLS, default 6). Exits non-zero when anything fails.

import Decimal from 'decimal.js';
import { startCluster } from '../support/pg-cluster';
import { crashRun, describeCrashReport } from './crash-run';
import { Fleet } from './fleet';
import { allDone, countJobsEffects, prepareJobsWork } from './jobs-once';
import { buildRaceScene, stockRace, walletRace } from './races';
import { freshDatabase, withDb } from './scene';

const KILLS = Number(process.env.MULTI_KILLS ?? 6);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => console.log(`[multi] ${line}`);

async function main() {
  const cluster = await startCluster({ settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' } });
  const problems: string[] = [];
  try {
    {
      const db = await freshDatabase(cluster.url);
      const race = await withDb({ url: db.url }, (d) => buildRaceScene(d));
      const fleet = await Fleet.start({ url: db.url }, 2);
      const stock = await withDb({ url: db.url }, (d) => stockRace(fleet.base(), d, race));
      log(`stock of 5, 100 drivers at once: ${stock.created} created, refusals ${JSON.stringify(stock.refusals)}, other ${stock.other}; database: ${stock.redemptions} redemptions, stock left ${stock.stockLeft}`);
      if (stock.created !== 5 || stock.redemptions !== 5 || stock.stockLeft !== 0 || stock.other !== 0) problems.push('stock race');
      const wallet = await withDb({ url: db.url }, (d) => walletRace(fleet.base(), d, race, 30));
      log(`wallet good for 3, 30 redeems at once: ${wallet.created} created, refusals ${JSON.stringify(wallet.refusals)}, other ${wallet.other}; database: ${wallet.redemptions} redemptions`);
      if (wallet.created !== 3 || wallet.redemptions !== 3 || wallet.other !== 0) problems.push('wallet race');
      log(`requests per process: ${[...fleet.proxy!.served.values()].join(' / ')}`);
      await fleet.stop();
      await db.drop();
    }
    {
      const db = await freshDatabase(cluster.url);
      const work = await withDb({ url: db.url }, (d) => prepareJobsWork(d, { vouchers: 300, drivers: 100 }));
      log(`jobs: ${work.overdueVouchers} overdue vouchers, ${work.milestonesDue} milestones due, ${work.expiringDrivers.length} wallets of ${work.funding} old points`);
      const fleet = await Fleet.start({ url: db.url }, 2);
      for (let round = 1; round <= 3; round++) {
        for (let i = 0; i < 240; i++) {
          if (allDone(work, await withDb({ url: db.url }, (d) => countJobsEffects(d, work)))) break;
          await sleep(500);
        }
        const e = await withDb({ url: db.url }, (d) => countJobsEffects(d, work));
        log(`after start-up round ${round}: ${JSON.stringify(e)}`);
        const once =
          e.vouchersExpired === work.overdueVouchers && e.voucherVoids === work.overdueVouchers && e.stockLeft === work.stockTotal &&
          e.milestoneEarnings === work.milestonesDue && e.milestoneDoubles === 0 && e.milestoneTransfers === work.milestonesDue &&
          e.expiryTransfers === work.expiringDrivers.length && e.expiredPoints === new Decimal(work.funding).times(work.expiringDrivers.length).toFixed(2) && e.walletsNotExpired === 0;
        if (!once) problems.push(`jobs round ${round}`);
        await Promise.all([fleet.kill(0), fleet.kill(1)]);
        await Promise.all([fleet.restart(0), fleet.restart(1)]);
      }
      await sleep(3_000);
      log(`server warn/error log lines: ${fleet.warnings()}`);
      await fleet.stop();
      await db.drop();
    }
    {
      const db = await freshDatabase(cluster.url);
      const report = await crashRun({ where: { url: db.url }, processes: 2, kills: KILLS, gapMs: [1500, 5000], workers: 12, log });
      console.log(describeCrashReport(report));
      if (report.failures.length) problems.push('crash run');
      await db.drop();
    }
  } finally {
    await cluster.stop();
  }
  console.log(problems.length ? `[multi] FAIL: ${problems.join(', ')}` : '[multi] PASS');
  process.exit(problems.length ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
