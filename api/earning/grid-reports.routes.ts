import { createRoute, z } from '@hono/zod-openapi';
import { IdempotencyHeader } from '../ledger/ledger.schemas';
import { currentUser, requireRole } from '../auth/middleware';
import { AppError } from '../errors';
import { createRouter, jsonBody, jsonContent, problems, ProblemSchema, signedIn } from '../http/openapi';
import { fileReport, listReports, reportDetail, transitionReport, type ReportDetail, type ReportListItem } from './grid-reports';
import { FileReportForm, GridReport, GridReportDetail, GridReportPage, IdParam, ReportListQuery, TransitionBody } from './grid-reports.schemas';
import { photoFor } from './photos';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function reportJson(r: ReportListItem): z.infer<typeof GridReport> {
  return {
    id: r.id,
    driverId: r.driverId,
    driverName: r.driverName,
    photoId: r.photoId,
    photoUrl: `/api/photos/${r.photoId}`,
    // coordinates, not points: a JSON number is what map clients expect
    lat: Number(r.lat),
    lng: Number(r.lng),
    category: r.category,
    note: r.note,
    status: r.status,
    department: r.department,
    likelyDuplicateOf: r.likelyDuplicateOf,
    duplicateOf: r.status === 'duplicate' ? r.likelyDuplicateOf : null,
    verifiedAt: iso(r.verifiedAt),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function detailJson(d: ReportDetail): z.infer<typeof GridReportDetail> {
  return {
    ...reportJson(d.report),
    history: d.history.map((e) => ({
      from: e.fromStatus,
      to: e.toStatus,
      actor: e.actorId ? { id: e.actorId, name: e.actorName ?? '', role: e.actorRole ?? '' } : null,
      note: e.note,
      department: e.department,
      at: e.createdAt.toISOString(),
    })),
    duplicateHint: d.duplicateHint
      ? { ...d.duplicateHint, distanceMeters: Math.round(d.duplicateHint.distanceMeters * 10) / 10, createdAt: d.duplicateHint.createdAt.toISOString() }
      : null,
    payment: d.payment ? { ...d.payment, points: d.payment.points.toFixed(2), paidAt: d.payment.paidAt.toISOString() } : null,
  };
}

const unsupportedMedia = {
  415: {
    description: 'The photo is not a JPEG, PNG or WebP (by its content), or the body is not multipart/form-data',
    content: { 'application/problem+json': { schema: ProblemSchema } },
  },
};

const fileRoute = createRoute({
  method: 'post',
  path: '/grid-reports',
  tags: ['grid reports'],
  summary: 'Report a road defect with a photo (driver)',
  description:
    'multipart/form-data with `photo`, `lat`, `lng`, `category` and an optional `note`. The photo must be a whole JPEG, PNG or ' +
    'WebP of at most 5 MB, judged by its bytes (not its name or declared type): other files are 415, larger ones 413, and a ' +
    'damaged image, one with data after its end, or one carrying markup or another format (a polyglot) is 422 — and nothing ' +
    'is stored. A report of the same category within 50 m and 7 days of an open report is saved with `likelyDuplicateOf` ' +
    'set, for the verifier. With an `Idempotency-Key`, a retry of the same upload returns the first report instead of ' +
    'filing it twice; the same key on a different report is 409.',
  security: signedIn,
  middleware: requireRole('driver'),
  request: { headers: IdempotencyHeader.partial(), body: { required: true, content: { 'multipart/form-data': { schema: FileReportForm } } } },
  responses: { 201: jsonContent(GridReport, 'The report, submitted'), ...problems(401, 403, 409, 413, 422), ...unsupportedMedia },
});

const listRoute = createRoute({
  method: 'get',
  path: '/grid-reports',
  tags: ['grid reports'],
  summary: 'Grid reports: a driver’s own, or the committee’s queue',
  description:
    'Drivers see their own reports, newest first. Committee members see everyone’s, oldest first; by default only those ' +
    'awaiting verification (`status=all` for every status). Pages follow `nextCursor`.',
  security: signedIn,
  middleware: requireRole('driver', 'committee'),
  request: { query: ReportListQuery },
  responses: { 200: jsonContent(GridReportPage, 'One page of reports'), ...problems(401, 403) },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/grid-reports/{id}',
  tags: ['grid reports'],
  summary: 'One grid report with its full history, duplicate hint and payment',
  description: 'Its driver and committee members may see it; to anyone else it does not exist (404).',
  security: signedIn,
  middleware: requireRole('driver', 'committee'),
  request: { params: IdParam },
  responses: { 200: jsonContent(GridReportDetail, 'The report'), ...problems(401, 403, 404) },
});

const transitionRoute = createRoute({
  method: 'post',
  path: '/grid-reports/{id}/transition',
  tags: ['grid reports'],
  summary: 'Move a report along its workflow (committee, audited)',
  description:
    'submitted → verified (pays the driver under the grid report rule in force when it was filed: 5 points, 10 for a broken ' +
    'manhole cover or road collapse, at most 30 paid reports a month by default) → forwarded (`department` required) → ' +
    'resolved → closed; or submitted → rejected (`reason` required) or duplicate (`duplicateOf`, default the flagged likely ' +
    'duplicate). Any other move is a 409. Each step is kept with who and when, and written to the audit log.',
  security: signedIn,
  middleware: requireRole('committee'),
  request: { params: IdParam, body: jsonBody(TransitionBody) },
  responses: { 200: jsonContent(GridReportDetail, 'The report after the step'), ...problems(401, 403, 404, 409, 422) },
});

const image = { schema: z.string().openapi({ type: 'string', format: 'binary' }) };

const photoRoute = createRoute({
  method: 'get',
  path: '/photos/{id}',
  tags: ['grid reports'],
  summary: 'A stored photo (its owner or the committee)',
  description:
    'Served with the type its bytes were recognised as, `x-content-type-options: nosniff`, `content-security-policy: sandbox` ' +
    'and a long private cache (a photo never changes; `ETag` is its SHA-256). To anyone but its owner and the committee it ' +
    'does not exist (404).',
  security: signedIn,
  middleware: requireRole(),
  request: { params: IdParam },
  responses: {
    200: { description: 'The image', content: { 'image/jpeg': image, 'image/png': image, 'image/webp': image } },
    304: { description: 'Not modified (If-None-Match matched the ETag)' },
    ...problems(401, 404),
  },
});

export const gridReportRoutes = createRouter()
  .openapi(fileRoute, async (c) => {
    const driver = currentUser(c);
    const form = c.req.valid('form');
    const report = await fileReport(c.get('db'), c.get('clock'), driver.id, {
      photo: form.photo,
      lat: form.lat,
      lng: form.lng,
      category: form.category,
      note: form.note ?? '',
    }, c.req.valid('header')['idempotency-key']);
    return c.json(reportJson({ ...report, driverName: driver.name }), 201);
  })
  .openapi(listRoute, async (c) => {
    const viewer = currentUser(c);
    const query = c.req.valid('query');
    if (query.driverId && viewer.role !== 'committee') throw new AppError('forbidden', 'drivers see their own reports only');
    const page = await listReports(c.get('db'), viewer, query);
    return c.json({ items: page.items.map(reportJson), nextCursor: page.nextCursor }, 200);
  })
  .openapi(detailRoute, async (c) => c.json(detailJson(await reportDetail(c.get('db'), currentUser(c), c.req.valid('param').id)), 200))
  .openapi(transitionRoute, async (c) => {
    const actor = currentUser(c);
    const { id } = c.req.valid('param');
    await transitionReport(c.get('db'), c.get('clock'), actor.id, id, c.req.valid('json'));
    return c.json(detailJson(await reportDetail(c.get('db'), actor, id)), 200);
  })
  .openapi(photoRoute, async (c) => {
    const { id } = c.req.valid('param');
    const photo = await photoFor(c.get('db'), currentUser(c), id);
    if (!photo) throw new AppError('photo_not_found', `no photo ${id}`);
    const etag = `"${photo.sha256}"`;
    const headers = {
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'private, max-age=31536000, immutable',
      etag,
    };
    if (c.req.header('if-none-match')?.split(',').some((t) => t.trim() === etag)) return c.body(null, 304, headers);
    const bytes = new Uint8Array(photo.content); // a copy the response owns (the driver's buffer may be pooled)
    return c.body(bytes, 200, { ...headers, 'content-type': photo.mime, 'content-length': String(bytes.byteLength) });
  });
