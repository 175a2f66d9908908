// Custom vitest reporter: after the run prints per-backend counts for tests tagged `[pglite]` /
// `[postgres]` in their full name, then, as the very last line, the overall
// `N passed, M failed[, K skipped]`.
//
// Failures that are not test cases (a file that failed to load, a failing beforeAll/afterAll,
// unhandled errors) count as failed too, so the line never says "0 failed" for a failed run.

import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, TestSuite } from 'vitest/node';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const BACKENDS = ['pglite', 'postgres'] as const;

function emptyCounts(): Counts {
  return { passed: 0, failed: 0, skipped: 0 };
}

function add(counts: Counts, test: TestCase): void {
  const state = test.result().state;
  if (state === 'passed') counts.passed++;
  else if (state === 'failed') counts.failed++;
  // 'skipped', and 'pending' (collected but never finished, e.g. an interrupted run), count as skipped
  else counts.skipped++;
}

/** Number of modules/suites that have errors of their own but no failed test beneath them. */
function orphanFailures(entity: TestModule | TestSuite): number {
  let n = 0;
  for (const suite of entity.children.suites()) n += orphanFailures(suite);
  const hasOwnErrors = entity.errors().length > 0 || (entity.type === 'module' && entity.state() === 'failed');
  if (hasOwnErrors && n === 0) {
    let failedTests = 0;
    for (const _ of entity.children.allTests('failed')) failedTests++;
    if (failedTests === 0) n = 1;
  }
  return n;
}

function format(c: Counts, alwaysSkipped: boolean): string {
  const parts = [`${c.passed} passed`, `${c.failed} failed`];
  if (alwaysSkipped || c.skipped > 0) parts.push(`${c.skipped} skipped`);
  return parts.join(', ');
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): void {
    const total = emptyCounts();
    const perBackend = new Map<string, Counts>(BACKENDS.map((b) => [b, emptyCounts()]));

    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        add(total, test);
        for (const backend of BACKENDS) {
          if (test.fullName.includes(`[${backend}]`)) add(perBackend.get(backend)!, test);
        }
      }
      total.failed += orphanFailures(mod);
    }
    total.failed += unhandledErrors.length;
    if (reason === 'failed' && total.failed === 0) total.failed = 1;

    const lines: string[] = [''];
    for (const backend of BACKENDS) lines.push(`backend ${backend}: ${format(perBackend.get(backend)!, true)}`);
    lines.push(format(total, false));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
