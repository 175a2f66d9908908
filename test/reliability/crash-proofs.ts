import { expect } from 'vitest';
import { describeCrashReport, type CrashReport } from '../soak/crash-run';

/** The run killed as often as asked, something was acknowledged, and every proof held. */
export function expectCrashProofsHeld(report: CrashReport, kills: number) {
  expect(report.kills).toBe(kills);
  expect(report.acknowledged).toBeGreaterThan(0);
  expect(report.failures, describeCrashReport(report)).toEqual([]);
}
