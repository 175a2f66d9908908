import { createRoute, z } from '@hono/zod-openapi';
import { currentUser, requireRole } from '../auth/middleware';
import { AppError } from '../errors';
import { IdempotencyHeader } from '../ledger/ledger.schemas';
import { createRouter, jsonBody, jsonContent, problems, ProblemSchema, signedIn } from '../http/openapi';
import { localDate } from './earn';
import { claimFor, listClaims, approveClaim, rejectClaim, submitClaim, type ClaimView } from './volunteering';
import { findImport, listImports, startImport, type ImportView } from './volunteering.import';
import {
  Claim,
  ClaimBody,
  ClaimForm,
  ClaimListQuery,
  ClaimPage,
  IdParam,
  ImportDetail,
  ImportForm,
  ImportListQuery,
  ImportPage,
  ImportQuery,
  ImportSummary,
  RejectBody,
} from './volunteering.schemas';

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

function claimJson(c: ClaimView): z.infer<typeof Claim> {
  return {
    id: c.id,
    driver: { id: c.driverId, name: c.driverName, phone: c.driverPhone },
    event: c.event,
    organiser: c.organiser,
    date: c.activityDate,
    hours: c.hours,
    status: c.status,
    reason: c.reason,
    photoId: c.photoId,
    decidedBy: c.decidedBy,
    decidedAt: c.decidedAt ? c.decidedAt.toISOString() : null,
    importId: c.importId,
    importLine: c.importLine,
    createdAt: c.createdAt.toISOString(),
    payment: c.payment
      ? { earningId: c.payment.earningId, points: c.payment.points.toFixed(2), units: c.payment.units, ruleVersionId: c.payment.ruleVersionId, transferId: c.payment.transferId }
      : null,
  };
}

function importSummaryJson(i: ImportView): z.infer<typeof ImportSummary> {
  return {
    id: i.id,
    fileName: i.fileName,
    sha256: i.sha256,
    status: i.status,
    totalRows: i.totalRows,
    processedRows: i.processedRows,
    applied: i.applied,
    skipped: i.skipped,
    errorCount: i.processedRows - i.applied - i.skipped,
    failure: i.failure,
    uploadedBy: i.uploadedBy,
    createdAt: i.createdAt.toISOString(),
    finishedAt: i.finishedAt ? i.finishedAt.toISOString() : null,
  };
}

function importJson(i: ImportView): z.infer<typeof ImportDetail> {
  return { ...importSummaryJson(i), errors: (i.errors as Array<{ line: number; message: string }>) ?? [] };
}

const mediaType = (c: { req: { header(name: string): string | undefined } }) => (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

const submitRoute = createRoute({
  method: 'post',
  path: '/volunteering',
  tags: ['volunteering'],
  summary: 'Claim volunteering hours (driver)',
  description:
    'As JSON, or as multipart/form-data with the same fields and an optional `photo` (JPEG, PNG or WebP, at most 5 MB, ' +
    'checked by its content) as evidence. The claim waits for the committee; approval pays 10 points an hour by default, ' +
    'up to 40 hours a month. The date may not be in the future (programme time, Asia/Shanghai). With an ' +
    '`Idempotency-Key`, a retry returns the first claim instead of filing the hours twice.',
  security: signedIn,
  middleware: requireRole('driver'),
  request: {
    headers: IdempotencyHeader.partial(),
    body: {
      description: 'The claim',
      content: { 'application/json': { schema: ClaimBody }, 'multipart/form-data': { schema: ClaimForm } },
    },
  },
  responses: {
    201: jsonContent(Claim, 'The claim, `submitted`'),
    ...problems(401, 403, 409, 413, 422),
    415: { description: 'Not JSON or multipart, or the photo is not a JPEG, PNG or WebP image', content: problemContent },
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/volunteering',
  tags: ['volunteering'],
  summary: 'Volunteering claims: a driver’s own, or the committee’s approval queue',
  description:
    'Drivers see only their own claims (all statuses, newest first). The committee sees everyone’s; by default the queue: ' +
    '`submitted` claims, oldest first. Pages are keyed, so deciding claims while paging does not skip any.',
  security: signedIn,
  middleware: requireRole('driver', 'committee'),
  request: { query: ClaimListQuery },
  responses: { 200: jsonContent(ClaimPage, 'One page of claims'), ...problems(401, 403) },
});

const getRoute = createRoute({
  method: 'get',
  path: '/volunteering/{id}',
  tags: ['volunteering'],
  summary: 'One claim (drivers: their own only)',
  security: signedIn,
  middleware: requireRole('driver', 'committee'),
  request: { params: IdParam },
  responses: { 200: jsonContent(Claim, 'The claim'), ...problems(401, 403, 404) },
});

const approveRoute = createRoute({
  method: 'post',
  path: '/volunteering/{id}/approve',
  tags: ['volunteering'],
  summary: 'Approve a submitted claim and pay it (committee, audited)',
  description:
    'Pays the hours under the reward rule in force on the claim’s date, within the monthly cap, in the same transaction. ' +
    'A claim already approved or rejected gets a 409 `claim-already-decided`; of two approvals at once, one pays.',
  security: signedIn,
  middleware: requireRole('committee'),
  request: { params: IdParam },
  responses: { 200: jsonContent(Claim, 'The approved claim with its payment'), ...problems(401, 403, 404, 409) },
});

const rejectRoute = createRoute({
  method: 'post',
  path: '/volunteering/{id}/reject',
  tags: ['volunteering'],
  summary: 'Reject a submitted claim with a reason (committee, audited)',
  security: signedIn,
  middleware: requireRole('committee'),
  request: { params: IdParam, body: jsonBody(RejectBody) },
  responses: { 200: jsonContent(Claim, 'The rejected claim'), ...problems(401, 403, 404, 409) },
});

const importRoute = createRoute({
  method: 'post',
  path: '/volunteering/import',
  tags: ['volunteering'],
  summary: 'Import attendance from a CSV file (committee, audited)',
  description:
    'Send the file as the body (`text/csv`) or as the `file` field of multipart/form-data; at most 10 MB. The file must be ' +
    'UTF-8 (a byte order mark is fine) with a header row naming the columns `phone` or `driverId`, `event`, `date` ' +
    '(YYYY-MM-DD), `hours`, and optionally `organiser`; other columns are ignored. A file that is not UTF-8, has no such ' +
    'header or no data rows is refused (422) and nothing is stored. Otherwise the file is stored and processed in the ' +
    'background: follow the `Location`. Each valid row becomes an approved, paid claim; bad rows are reported with their ' +
    'line numbers. The same driver, event and date are imported once, ever: uploading the same file again pays nothing twice ' +
    '(those rows count as skipped).',
  security: signedIn,
  middleware: requireRole('committee'),
  request: {
    query: ImportQuery,
    body: {
      description: 'The attendance CSV',
      content: {
        'text/csv': { schema: z.string().openapi({ example: 'phone,event,date,hours,organiser\n13900000001,Exam day convoy,2026-06-07,4,Baoan Transport Association\n' }) },
        'multipart/form-data': { schema: ImportForm },
      },
    },
  },
  responses: {
    202: {
      description: 'Accepted: processing in the background',
      headers: z.object({ Location: z.string().openapi({ description: 'Where to follow progress', example: '/api/volunteering/imports/0b6f3c1e-8f0a-4c1d-9a52-3e2f7d1c9b40' }) }),
      content: { 'application/json': { schema: ImportDetail } },
    },
    ...problems(401, 403, 413, 422),
    415: { description: 'Neither text/csv nor multipart/form-data', content: problemContent },
  },
});

const importsRoute = createRoute({
  method: 'get',
  path: '/volunteering/imports',
  tags: ['volunteering'],
  summary: 'Attendance imports, newest first (committee)',
  security: signedIn,
  middleware: requireRole('committee'),
  request: { query: ImportListQuery },
  responses: { 200: jsonContent(ImportPage, 'One page of imports'), ...problems(401, 403) },
});

const importStatusRoute = createRoute({
  method: 'get',
  path: '/volunteering/imports/{id}',
  tags: ['volunteering'],
  summary: 'One import: progress, counts and row errors (committee)',
  security: signedIn,
  middleware: requireRole('committee'),
  request: { params: IdParam },
  responses: { 200: jsonContent(ImportDetail, 'The import'), ...problems(401, 403, 404) },
});

async function uploadedCsv(c: { req: { header(name: string): string | undefined; arrayBuffer(): Promise<ArrayBuffer> } }, form: { file?: File }) {
  if (mediaType(c) === 'multipart/form-data') {
    if (!form.file) throw new AppError('validation_failed', 'send the CSV as the `file` field', { fields: [{ path: 'file', message: 'required' }] });
    return { content: new Uint8Array(await form.file.arrayBuffer()), fileName: form.file.name || null };
  }
  return { content: new Uint8Array(await c.req.arrayBuffer()), fileName: null };
}

export const volunteeringRoutes = createRouter()
  .openapi(submitRoute, async (c) => {
    const driver = currentUser(c);
    let input;
    if (mediaType(c) === 'multipart/form-data') {
      const form = c.req.valid('form') as z.infer<typeof ClaimForm>;
      input = { ...form, photo: form.photo ?? null };
    } else if (mediaType(c) === 'application/json') input = c.req.valid('json');
    else throw new AppError('unsupported_media_type', 'send the claim as application/json or multipart/form-data');
    const key = c.req.valid('header')['idempotency-key'];
    const claim = await submitClaim(c.get('db'), c.get('clock'), driver.id, input, key);
    return c.json(claimJson((await claimFor(c.get('db'), driver, claim.id))!), 201);
  })
  .openapi(listRoute, async (c) => {
    const page = await listClaims(c.get('db'), currentUser(c), c.req.valid('query'));
    return c.json({ items: page.items.map(claimJson), nextCursor: page.nextCursor }, 200);
  })
  // Before /volunteering/{id}, which would otherwise take "imports" for an id.
  .openapi(importsRoute, async (c) => {
    const page = await listImports(c.get('db'), c.req.valid('query'));
    return c.json({ items: page.items.map(importSummaryJson), nextCursor: page.nextCursor }, 200);
  })
  .openapi(importStatusRoute, async (c) => {
    const { id } = c.req.valid('param');
    const found = await findImport(c.get('db'), id);
    if (!found) throw new AppError('import_not_found', `no attendance import ${id}`);
    return c.json(importJson(found), 200);
  })
  .openapi(importRoute, async (c) => {
    const committee = currentUser(c);
    const upload = await uploadedCsv(c, c.req.valid('form') as { file?: File });
    if (upload.content.byteLength === 0) throw new AppError('csv_invalid', 'the file is empty; send the attendance CSV as the body (text/csv) or as the `file` field');
    const fileName = upload.fileName ?? c.req.valid('query').fileName ?? `attendance-${localDate(c.get('clock').now())}.csv`;
    const { import: created, done } = await startImport(c.get('db'), c.get('clock'), { fileName, content: upload.content, uploadedBy: committee.id });
    void done; // processing continues in the background; progress is on the import
    const location = `/api/volunteering/imports/${created.id}`;
    return c.json(importJson(created), 202, { Location: location });
  })
  .openapi(getRoute, async (c) => c.json(claimJson(await claimFor(c.get('db'), currentUser(c), c.req.valid('param').id)), 200))
  .openapi(approveRoute, async (c) => c.json(claimJson(await approveClaim(c.get('db'), c.get('clock'), currentUser(c), c.req.valid('param').id)), 200))
  .openapi(rejectRoute, async (c) => {
    const claim = await rejectClaim(c.get('db'), c.get('clock'), currentUser(c), c.req.valid('param').id, c.req.valid('json').reason);
    return c.json(claimJson(claim), 200);
  });
