// `npm run soak:outage`: PostgreSQL stopped under load for OUTAGE_SECONDS (default 10), then
// started again; prints the figures for docs/reliability.md and exits non-zero on a broken
// promise (a 500, a hang, a non-503 answer while down, no recovery, an unsound ledger).
//   OUTAGE_SECONDS, OUTAGE_CLIENTS (default 16), OUTAGE_MODE (fast | immediate, default fast)

import { runOutage, type Answer } from './outage-scenario';

const TIMEOUT_MS = 5_000;
const outageSeconds = Number(process.env.OUTAGE_SECONDS ?? 10);
const clients = Number(process.env.OUTAGE_CLIENTS ?? 16);
const stopMode = process.env.OUTAGE_MODE === 'immediate' ? 'immediate' : 'fast';

const count = (answers: Answer[]) =>
  answers.reduce<Record<string, number>>((n, a) => {
    const k = `${a.status}${a.problemCode ? ` ${a.problemCode}` : ''}`;
    return { ...n, [k]: (n[k] ?? 0) + 1 };
  }, {});

const report = await runOutage({ warmSeconds: 5, outageSeconds, afterSeconds: 10, clients, stopMode, timeoutMs: TIMEOUT_MS, log: (l) => console.log(l) });
const down = report.answers.filter((a) => a.phase === 'down' && a.answeredIn === 'down');
const maxDownMs = Math.max(0, ...down.map((a) => a.ms));
const broken: string[] = [];
if (report.answers.some((a) => a.status >= 500 && a.status !== 503)) broken.push('a 5xx other than 503');
if (report.answers.some((a) => a.status === 503 && a.problemCode !== 'unavailable')) broken.push('a 503 that is not an unavailable problem');
if (report.answers.some((a) => a.status === 0)) broken.push('a request that hung or lost its connection');
if (down.some((a) => a.status !== 503 && (a.status < 200 || a.status > 299))) broken.push('an answer while down that is neither 503 nor 2xx');
if (report.healthDuringOutage.some((h) => h.status !== 503)) broken.push('/healthz not 503 while down');
if (report.recoveryMs === null) broken.push('no recovery');
if (report.serverRestarted) broken.push('the server process restarted');
if (!report.proofs.trialBalanceZero || !report.proofs.verifyOk) broken.push(`ledger unsound: ${report.proofs.verifyFailures.join(', ')}`);
if (report.proofs.acknowledgedFound !== report.proofs.acknowledgedRedeems) broken.push('an acknowledged redeem is missing');

console.log(
  JSON.stringify(
    {
      when: new Date().toISOString(),
      stopMode,
      clients,
      outageMs: Math.round(report.outageMs),
      requests: report.answers.length,
      answeredWhileDown: count(down),
      maxLatencyWhileDownMs: Math.round(maxDownMs),
      healthzWhileDown: count(report.healthDuringOutage.map((h) => ({ status: h.status }) as Answer)),
      recoveryMs: report.recoveryMs === null ? null : Math.round(report.recoveryMs),
      allAnswers: count(report.answers),
      proofs: report.proofs,
      broken,
    },
    null,
    2,
  ),
);
process.exit(broken.length > 0 ? 1 : 0);
