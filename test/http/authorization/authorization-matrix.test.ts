import { describe, expect, it } from 'vitest';
import { describeEachBackend, freshPglite } from '../../support/backends';
import { testApp } from '../../support/app';
import { changed, fingerprint } from './fingerprint';
import { ACTORS, expected, MATRIX, operationOf, OUTCOMES, type Actor, type Outcome } from './matrix';
import { PROBES, type ProbeRequest } from './requests';
import { authorizationScene, secretsHiddenFrom, shownText, type AuthorizationScene } from './scene';

/**
 * Every documented operation, as every kind of caller: the answer is the one the matrix names,
 * a refusal is a complete problem+json and changes nothing in the database, and no successful
 * answer shows a caller what belongs to another driver or partner.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function documentedOperations(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`));
}

describe('authorization matrix: the table covers the API', () => {
  it('every documented operation has a row, and every row is a documented operation with a request', async () => {
    const handle = await freshPglite();
    try {
      const res = await testApp(handle).call('GET', '/api/openapi.json');
      expect(res.status).toBe(200);
      const documented = documentedOperations(res.json);
      const rows = Object.keys(MATRIX);
      expect(documented.filter((op) => !rows.some((r) => operationOf(r) === op)), 'operations with no row in matrix.ts').toEqual([]);
      expect(rows.filter((r) => !documented.includes(operationOf(r))), 'rows naming an operation that no longer exists').toEqual([]);
      expect(Object.keys(PROBES).sort(), 'requests.ts has a request for exactly the rows of matrix.ts').toEqual([...rows].sort());
    } finally {
      await handle.close();
    }
  }, 120_000);
});

interface Answer {
  status: number;
  contentType: string;
  text: string;
  json: any;
}

async function send(s: AuthorizationScene, actor: Actor, req: ProbeRequest): Promise<Answer> {
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  const token = req.token !== undefined ? req.token : actor === 'anonymous' ? null : s.tokens[actor];
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | FormData | undefined;
  if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers['content-type'] = 'application/json';
  } else if (req.text) {
    body = req.text.body;
    headers['content-type'] = req.text.contentType;
  } else if (req.form) body = req.form;
  const res = await s.app.request(req.url, { method: req.method, headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

const DENY_STATUS: Record<Exclude<Outcome, 'allow'>, number> = { deny401: 401, deny403: 403, deny404: 404 };

/** Why the answer does not fit the expected outcome, or null when it does. */
function mismatch(want: Outcome, got: Answer): string | null {
  if (want === 'allow') return got.status >= 200 && got.status < 300 ? null : `wanted 2xx, got ${got.status} ${got.text.slice(0, 200)}`;
  const status = DENY_STATUS[want];
  if (got.status !== status) return `wanted ${status}, got ${got.status} ${got.text.slice(0, 200)}`;
  const problem = got.json;
  const complete =
    got.contentType.startsWith('application/problem+json') &&
    problem?.status === status &&
    typeof problem?.type === 'string' &&
    typeof problem?.title === 'string' &&
    typeof problem?.detail === 'string' &&
    typeof problem?.code === 'string';
  return complete ? null : `a ${status} that is not a complete problem+json: ${got.text.slice(0, 200)}`;
}

interface Cell {
  row: string;
  actor: Actor;
  expected: Outcome;
  status: number;
}

async function runMatrix(s: AuthorizationScene) {
  const cells: Cell[] = [];
  const failures: string[] = [];
  for (const row of Object.keys(MATRIX)) {
    const probe = PROBES[row]!;
    const fixture = probe.setup ? await probe.setup(s) : {};
    const denied = ACTORS.filter((a) => expected(row, a) !== 'allow');
    const allowed = ACTORS.filter((a) => expected(row, a) === 'allow');

    // The refused first, so that the allowed call's success (a cancel, a confirm) cannot hide them.
    const before = await fingerprint(s.db);
    for (const actor of [...denied, ...allowed]) {
      if (actor === allowed[0]) {
        const diff = changed(before, await fingerprint(s.db));
        if (diff.length > 0) failures.push(`${row}: refused calls changed the database: ${diff.join('; ')}`);
      }
      const req = await probe.request(s, actor, fixture);
      const got = await send(s, actor, req);
      const want = expected(row, actor);
      cells.push({ row, actor, expected: want, status: got.status });
      const why = mismatch(want, got);
      if (why) failures.push(`${row} as ${actor}: ${why}`);
      if (got.status >= 200 && got.status < 300) {
        const sent = `${req.url} ${JSON.stringify(req.json ?? '')} ${req.text?.body ?? ''}`;
        const text = shownText(got.text, got.json);
        const shown = secretsHiddenFrom(s, actor).filter((secret) => !sent.includes(secret) && text.includes(secret));
        if (shown.length > 0) failures.push(`${row} as ${actor}: a success shows what is not theirs: ${shown.join(', ')}`);
      }
    }
    if (allowed.length === 0) {
      const diff = changed(before, await fingerprint(s.db));
      if (diff.length > 0) failures.push(`${row}: refused calls changed the database: ${diff.join('; ')}`);
    }
    await s.importsSettled();
  }
  return { cells, failures };
}

function summary(cells: Cell[]) {
  const count = (pick: (c: Cell) => boolean) => cells.filter(pick).length;
  const byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, count((c) => c.expected === o)]));
  const byActor = Object.fromEntries(
    ACTORS.map((a) => [a, Object.fromEntries(OUTCOMES.map((o) => [o, count((c) => c.actor === a && c.expected === o)]))]),
  );
  const unauthorizedSuccesses = count((c) => c.expected !== 'allow' && c.status >= 200 && c.status < 300);
  return { rows: new Set(cells.map((c) => c.row)).size, cells: cells.length, byOutcome, byActor, unauthorizedSuccesses };
}

describeEachBackend('authorization matrix: every operation × every caller', (current, backend) => {
  it('answers each cell as the matrix says, refusals change nothing, and no success shows another tenant’s data', async () => {
    const s = await authorizationScene(current());
    const { cells, failures } = await runMatrix(s);
    const result = summary(cells);
    console.log(`authorization matrix [${backend}]: ${JSON.stringify(result, null, 1)}`);
    expect(failures).toEqual([]);
    expect(result.unauthorizedSuccesses).toBe(0);
    expect(result.cells).toBe(Object.keys(MATRIX).length * ACTORS.length);
  }, 300_000);
});
