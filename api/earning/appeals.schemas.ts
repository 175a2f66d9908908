import { z } from '@hono/zod-openapi';
import { appealStatuses, appealSubjects } from '../../db/schema/index';
import { storableText } from '../http/text';
import { Points } from '../ledger/ledger.schemas';

const text = (min: number, max: number, what: string) =>
  storableText(z.string().trim().min(min, `${what} needs at least ${min} characters`).max(max, `${what} may be at most ${max} characters`));

export const SubjectType = z.enum(appealSubjects).openapi({
  description: 'What is appealed: a rejected volunteering claim, a rejected (or duplicate) grid report, or a safety event',
  example: 'volunteer_claim',
});

export const AppealBody = z
  .object({
    subjectType: SubjectType,
    subjectId: z.string().uuid('subjectId is a UUID').openapi({ description: 'The claim, report or safety event', example: '5f0c4a3e-1d2b-4c9a-8e7f-6a5b4c3d2e1f' }),
    reason: text(10, 2000, 'reason').openapi({
      description: 'Why the committee should look again',
      example: 'The organiser’s sign-in sheet was lost; attached is the WeChat group photo showing me at the convoy.',
    }),
  })
  .openapi('AppealBody');

export const DecideBody = z
  .object({
    decision: z.enum(['upheld', 'dismissed']).openapi({
      description: '`upheld` pays the claim or report (once, ever) or voids the safety event; `dismissed` changes nothing',
      example: 'upheld',
    }),
    note: text(3, 2000, 'note').openapi({ description: 'The decision in words; the driver sees it', example: 'Attendance confirmed with the organiser.' }),
  })
  .openapi('DecideAppealBody');

export const AppealQuery = z.object({
  status: z.enum([...appealStatuses, 'all']).optional().openapi({ description: 'Committee default: `open` (the queue, oldest first); drivers: all of theirs' }),
  cursor: z.string().max(500).optional().openapi({ description: 'From the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ example: 20 }),
});

export const AppealIdParam = z.object({
  id: z.string().uuid('an appeal id is a UUID').openapi({ param: { name: 'id', in: 'path' } }),
});

export const Appeal = z
  .object({
    id: z.string().uuid(),
    driver: z.object({ id: z.string().uuid(), name: z.string() }),
    subjectType: SubjectType,
    subjectId: z.string().uuid(),
    subject: z
      .object({
        status: z.string().openapi({ description: 'The subject’s status now (claim/report status; for a safety event `standing` or `voided`)', example: 'rejected' }),
        summary: z.string().openapi({ example: 'Exam-day convoy, 4.00 h on 2026-05-20 — rejected: no sign-in record' }),
      })
      .openapi({ description: 'What the appeal is about, as it stands now' }),
    reason: z.string(),
    status: z.enum(appealStatuses),
    decisionNote: z.string().nullable(),
    decidedBy: z.string().uuid().nullable(),
    decidedAt: z.string().datetime().nullable(),
    payment: z
      .object({ earningId: z.string().uuid(), points: Points, transferId: z.string().uuid().nullable() })
      .nullable()
      .openapi({ description: 'What the claim or report has been paid (after an upheld appeal, or if it was paid otherwise)' }),
    createdAt: z.string().datetime(),
  })
  .openapi('Appeal');

export const AppealPage = z
  .object({
    items: z.array(Appeal),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page' }),
  })
  .openapi('AppealPage');
