import { z } from '@hono/zod-openapi';
import { claimStatuses, importStatuses } from '../../db/schema/index';
import { storableText } from '../http/text';
import { Points } from '../ledger/ledger.schemas';

const text = (max: number) => storableText(z.string().trim().max(max, `at most ${max} characters`));

/** A real calendar date written `YYYY-MM-DD` (2026-02-30 is refused). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Hours: a decimal string above 0 and at most 24, two decimal places at most. */
export function hoursProblem(value: string): string | null {
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(value)) return 'hours are a decimal string like "2.5" (at most 2 decimal places)';
  const n = Number(value); // two digits and two places: exact enough to compare with 0 and 24
  if (n <= 0) return 'hours must be more than 0';
  if (n > 24) return 'hours cannot be more than 24 in one day';
  return null;
}

export const ActivityDate = z
  .string()
  .refine(isCalendarDate, 'a date is YYYY-MM-DD, a real calendar date')
  .openapi({ description: 'The day of the activity (programme time, Asia/Shanghai); not in the future', example: '2026-05-16' });

export const Hours = z
  .string()
  .superRefine((v, ctx) => {
    const problem = hoursProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({ description: 'Hours spent, a decimal string: more than 0, at most 24', example: '3.5' });

const ClaimFields = {
  event: text(200)
    .pipe(z.string().min(1, 'name the event'))
    .openapi({ description: 'What the volunteering was', example: 'College entrance exam convoy' }),
  date: ActivityDate,
  hours: Hours,
  organiser: text(200)
    .optional()
    .transform((v) => (v ? v : undefined))
    .openapi({ description: 'Who ran the event (a body the committee can check with)', example: 'Baoan Transport Association' }),
};

export const ClaimBody = z.object(ClaimFields).openapi('VolunteerClaimBody');

/** The same claim as multipart/form-data, with an optional photo as evidence. */
export const ClaimForm = z
  .object({
    ...ClaimFields,
    photo: z
      .custom<File>((v) => v instanceof File, 'photo must be a file')
      .optional()
      .openapi({ type: 'string', format: 'binary', description: 'Evidence: a JPEG, PNG or WebP image of at most 5 MB' }),
  })
  .openapi('VolunteerClaimForm');

export const RejectBody = z
  .object({
    reason: text(500)
      .pipe(z.string().min(3, 'say why, in a few words'))
      .openapi({ description: 'Shown to the driver', example: 'The organiser has no record of you on that day' }),
  })
  .openapi('VolunteerRejectBody');

export const IdParam = z.object({ id: z.string().uuid('an id is a UUID').openapi({ param: { name: 'id', in: 'path' }, example: '0b6f3c1e-8f0a-4c1d-9a52-3e2f7d1c9b40' }) });

export const ClaimListQuery = z.object({
  status: z
    .enum([...claimStatuses, 'all'])
    .optional()
    .openapi({ description: 'Committee: default `submitted` (the approval queue). Drivers: default `all`.' }),
  order: z
    .enum(['oldest', 'newest'])
    .optional()
    .openapi({ description: 'Committee: default `oldest` (work the queue front to back). Drivers: default `newest`.' }),
  driverId: z.string().uuid().optional().openapi({ description: 'Committee only: one driver’s claims' }),
  cursor: z.string().max(500).optional().openapi({ description: '`nextCursor` of the previous page (same filters)' }),
  limit: z.coerce.number().int().min(1).max(200).optional().openapi({ description: 'Page size, default 50', example: 50 }),
});

export const Payment = z
  .object({
    earningId: z.string().uuid(),
    points: Points.openapi({ description: 'Points credited (0 when the monthly cap was already reached)' }),
    units: z.string().openapi({ description: 'Hours paid after caps', example: '3.00' }),
    ruleVersionId: z.string().uuid().nullable(),
    transferId: z.string().uuid().nullable().openapi({ description: 'The ledger transfer; null when nothing was paid' }),
  })
  .openapi('VolunteerPayment');

export const Claim = z
  .object({
    id: z.string().uuid(),
    driver: z.object({ id: z.string().uuid(), name: z.string(), phone: z.string() }),
    event: z.string(),
    organiser: z.string().nullable(),
    date: z.string().openapi({ example: '2026-05-16' }),
    hours: z.string().openapi({ example: '3.50' }),
    status: z.enum(claimStatuses),
    reason: z.string().nullable().openapi({ description: 'Why it was rejected' }),
    photoId: z.string().uuid().nullable().openapi({ description: 'Evidence photo, if one was sent' }),
    decidedBy: z.string().uuid().nullable(),
    decidedAt: z.string().datetime().nullable(),
    importId: z.string().uuid().nullable().openapi({ description: 'Set for claims created by an attendance import' }),
    importLine: z.number().int().nullable().openapi({ description: 'The CSV line the claim came from' }),
    createdAt: z.string().datetime(),
    payment: Payment.nullable().openapi({ description: 'What approval paid; null until approved (or when no rule applies)' }),
  })
  .openapi('VolunteerClaim');

export const ClaimPage = z
  .object({ items: z.array(Claim), nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page' }) })
  .openapi('VolunteerClaimPage');

export const ImportQuery = z.object({
  fileName: z.string().max(200).optional().openapi({ description: 'For a `text/csv` body: the file’s name, kept for the record', example: 'exam-convoy-2026-06.csv' }),
});

export const ImportForm = z
  .object({
    file: z
      .custom<File>((v) => v instanceof File, 'file must be a CSV file')
      .openapi({ type: 'string', format: 'binary', description: 'The attendance CSV (UTF-8)' }),
  })
  .openapi('VolunteerImportForm');

export const ImportRowError = z
  .object({
    line: z.number().int().openapi({ description: 'Line in the file (the header is line 1)', example: 7 }),
    message: z.string().openapi({ example: 'no driver with phone 13900000099' }),
  })
  .openapi('ImportRowError');

export const ImportSummary = z
  .object({
    id: z.string().uuid(),
    fileName: z.string(),
    sha256: z.string().openapi({ description: 'SHA-256 of the file as uploaded' }),
    status: z.enum(importStatuses).openapi({ description: '`processing` until every row is done' }),
    totalRows: z.number().int().nullable().openapi({ description: 'Data rows in the file (the header not counted)' }),
    processedRows: z.number().int(),
    applied: z.number().int().openapi({ description: 'Rows that became approved, paid claims' }),
    skipped: z.number().int().openapi({ description: 'Valid rows already imported before (same driver, event and date): nothing paid twice' }),
    errorCount: z.number().int().openapi({ description: 'Rows refused; see `errors`' }),
    failure: z.string().nullable().openapi({ description: 'Why processing stopped, if it failed' }),
    uploadedBy: z.string().uuid().nullable(),
    createdAt: z.string().datetime(),
    finishedAt: z.string().datetime().nullable(),
  })
  .openapi('VolunteerImportSummary');

export const ImportDetail = ImportSummary.extend({
  errors: z.array(ImportRowError).openapi({ description: 'Refused rows with their line numbers (the first 1,000)' }),
}).openapi('VolunteerImport');

export const ImportPage = z
  .object({ items: z.array(ImportSummary), nextCursor: z.string().nullable() })
  .openapi('VolunteerImportPage');

export const ImportListQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
