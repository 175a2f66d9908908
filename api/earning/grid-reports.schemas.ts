import { z } from '@hono/zod-openapi';
import Decimal from 'decimal.js';
import { gridCategories, reportStatuses } from '../../db/schema/index';
import { storableText } from '../http/text';
import { Points } from '../ledger/ledger.schemas';

export const GridCategorySchema = z.enum(gridCategories).openapi({
  description: 'What kind of defect: pothole, broken manhole cover, road collapse, obstacle, sanitation, signal fault, other',
  example: 'pothole',
});
export const ReportStatusSchema = z.enum(reportStatuses).openapi({ example: 'submitted' });

const text = (max: number) => storableText(z.string().trim().max(max));

/** Degrees as a decimal string (form fields are text), within ±`limit`, kept to 6 places (~0.1 m). */
const DEGREES = /^[+-]?\d{1,3}(\.\d{1,12})?$/;

function degrees(what: 'latitude' | 'longitude', limit: 90 | 180) {
  return z
    .string()
    .trim()
    .regex(DEGREES, `${what} is a decimal number of degrees, e.g. ${limit === 90 ? '22.543096' : '114.057865'}`)
    .pipe(
      z
        .string()
        .refine((v) => new Decimal(v).abs().lte(limit), `${what} is between -${limit} and ${limit} degrees`)
        .transform((v) => new Decimal(v).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6)),
    );
}

export const PhotoFile = z
  .custom<File>((v) => v instanceof File, 'attach the photo as a file (multipart field "photo")')
  .openapi({ type: 'string', format: 'binary', description: 'JPEG, PNG or WebP, at most 5 MB; judged by its content, not its name or declared type' });

export const FileReportForm = z
  .object({
    photo: PhotoFile,
    lat: degrees('latitude', 90).openapi({ type: 'string', description: 'Latitude in degrees (WGS 84), -90 to 90', example: '22.543096' }),
    lng: degrees('longitude', 180).openapi({ type: 'string', description: 'Longitude in degrees (WGS 84), -180 to 180', example: '114.057865' }),
    category: GridCategorySchema,
    note: text(1000).optional().openapi({ description: 'What and where, in words', example: 'Deep pothole in the inside lane, 20 m after the toll gate' }),
  })
  .openapi('FileGridReportForm');

export const IdParam = z.object({ id: z.string().uuid('an id is a UUID').openapi({ param: { name: 'id', in: 'path' }, example: '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60' }) });

export const ReportListQuery = z.object({
  status: z
    .enum([...reportStatuses, 'all'])
    .optional()
    .openapi({ description: 'Committee default: submitted (the verification queue); driver default: all' }),
  category: GridCategorySchema.optional(),
  driverId: z.string().uuid().optional().openapi({ description: 'Committee only: one driver’s reports' }),
  cursor: z.string().max(500).optional().openapi({ description: '`nextCursor` from the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ description: 'Page size, 1–100 (default 20)', example: 20 }),
});

const reportFields = {
  id: z.string().uuid(),
  driverId: z.string().uuid(),
  driverName: z.string().openapi({ example: 'Wang Jun' }),
  photoId: z.string().uuid(),
  photoUrl: z.string().openapi({ description: 'GET this (signed in) for the photo', example: '/api/photos/5b0e…' }),
  lat: z.number().openapi({ example: 22.543096 }),
  lng: z.number().openapi({ example: 114.057865 }),
  category: GridCategorySchema,
  note: z.string(),
  status: ReportStatusSchema,
  department: z.string().nullable().openapi({ description: 'Where it was forwarded', example: 'Futian road maintenance' }),
  likelyDuplicateOf: z
    .string()
    .uuid()
    .nullable()
    .openapi({ description: 'An open report of the same category within 50 m and 7 days when this one was filed: a hint for the verifier' }),
  duplicateOf: z.string().uuid().nullable().openapi({ description: 'Set once the committee marked this report a duplicate' }),
  verifiedAt: z.string().datetime().nullable(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
};

export const GridReport = z.object(reportFields).openapi('GridReport');

export const GridReportPage = z
  .object({ items: z.array(GridReport), nextCursor: z.string().nullable().openapi({ description: 'null on the last page' }) })
  .openapi('GridReportPage');

export const GridReportEvent = z
  .object({
    from: ReportStatusSchema.nullable().openapi({ description: 'null for the filing itself' }),
    to: ReportStatusSchema,
    actor: z.object({ id: z.string().uuid(), name: z.string(), role: z.string() }).nullable(),
    note: z.string().nullable().openapi({ description: 'Rejection reason, committee note, duplicate reference' }),
    department: z.string().nullable(),
    at: z.string().datetime(),
  })
  .openapi('GridReportEvent');

export const GridReportDetail = z
  .object({
    ...reportFields,
    history: z.array(GridReportEvent).openapi({ description: 'Every step, first to last: collect → verify → forward → resolve → close' }),
    duplicateHint: z
      .object({ id: z.string().uuid(), status: ReportStatusSchema, distanceMeters: z.number().openapi({ example: 12.4 }), createdAt: z.string().datetime() })
      .nullable()
      .openapi({ description: 'The report this one likely repeats (or repeats, once marked duplicate), how far away and where it stands' }),
    payment: z
      .object({ earningId: z.string().uuid(), points: Points, ruleVersionId: z.string().uuid().nullable(), paidAt: z.string().datetime() })
      .nullable()
      .openapi({ description: 'What verifying it paid (points may be 0.00 once the monthly cap is reached)' }),
  })
  .openapi('GridReportDetail');

export const TransitionBody = z
  .object({
    to: z.enum(['verified', 'forwarded', 'resolved', 'closed', 'rejected', 'duplicate']).openapi({
      description: 'submitted → verified (pays) | rejected (reason) | duplicate; verified → forwarded (department); forwarded → resolved; resolved → closed',
      example: 'verified',
    }),
    reason: text(500).pipe(z.string().min(3, 'say why in a few words')).optional().openapi({ description: 'Required to reject', example: 'The photo shows no defect' }),
    department: text(200).pipe(z.string().min(2, 'name the department')).optional().openapi({ description: 'Required to forward', example: 'Futian road maintenance' }),
    note: text(1000).optional().openapi({ description: 'Anything the next person should know' }),
    duplicateOf: z.string().uuid().optional().openapi({ description: 'For duplicate: the report it repeats (default: the flagged likely duplicate)' }),
  })
  .superRefine((b, ctx) => {
    if (b.to === 'rejected' && !b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a rejection needs a reason' });
    if (b.to === 'forwarded' && !b.department) ctx.addIssue({ code: 'custom', path: ['department'], message: 'say which department it is forwarded to' });
    if (b.to !== 'forwarded' && b.department) ctx.addIssue({ code: 'custom', path: ['department'], message: 'a department is named only when forwarding' });
    if (b.to !== 'duplicate' && b.duplicateOf) ctx.addIssue({ code: 'custom', path: ['duplicateOf'], message: 'only for marking a duplicate' });
  })
  .openapi('GridReportTransition');
