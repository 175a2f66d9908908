import { z } from '@hono/zod-openapi';
import { grades, offerCategories } from '../../db/schema/index';

/** A points figure: a decimal string with two places; signed where corrections can outweigh. */
const Amount = z.string().regex(/^-?\d+\.\d{2}$/).openapi({ example: '1250.00' });

const LocalDate = (what: string, example: string) =>
  z
    .string()
    .date(`${what} is a date like ${example}`)
    .optional()
    .openapi({ description: `${what} (programme days, Asia/Shanghai)`, example });

export const SummaryQuery = z.object({
  from: LocalDate('The first day of the period', '2026-05-01'),
  to: LocalDate('The day after the period (exclusive); at most 366 days after from', '2026-06-01'),
});

const Breakdown = <K extends z.ZodType>(key: K, description: string) =>
  z.array(
    z.object({
      key,
      redemptions: z.number().int().openapi({ description: 'Confirmed redemptions', example: 42 }),
      points: Amount.openapi({ description: 'Points captured by those redemptions' }),
    }),
  ).openapi({ description });

export const Summary = z
  .object({
    from: z.string().date().openapi({ description: 'First day of the period', example: '2026-05-02' }),
    to: z.string().date().openapi({ description: 'Day after the period (exclusive)', example: '2026-06-01' }),
    timeZone: z.literal('Asia/Shanghai'),
    asOf: z.string().datetime().openapi({ description: 'When `held` and `outstanding` were read' }),
    issued: Amount.openapi({
      description: 'Points the programme credited to drivers in the period (earning, awards, adjustments), net of corrections',
    }),
    redeemed: Amount.openapi({ description: 'Points captured by redemptions confirmed in the period' }),
    redemptions: z.number().int().openapi({ description: 'Redemptions confirmed in the period', example: 120 }),
    expired: Amount.openapi({ description: 'Points that expired in the period' }),
    held: Amount.openapi({ description: 'Points reserved now by open holds (vouchers not yet confirmed, cancelled or expired)' }),
    openHolds: z.number().int().openapi({ description: 'Open holds now', example: 17 }),
    outstanding: Amount.openapi({ description: "Sum of every driver wallet's posted balance now (held points included)" }),
    byCategory: Breakdown(z.enum(offerCategories), 'Redemptions confirmed in the period, by offer category (every category, zeros included)'),
    byRegion: Breakdown(z.string().openapi({ example: 'Baoan' }), "Redemptions confirmed in the period, by the partner's region (every region, most points first)"),
    grades: z
      .array(
        z.object({
          grade: z.enum([...grades, 'ungraded']).openapi({ description: '`ungraded`: drivers not rated yet' }),
          drivers: z.number().int().openapi({ example: 310 }),
        }),
      )
      .openapi({ description: "Drivers by their current credit grade (AAA, AA, A, B, ungraded)" }),
    series: z
      .array(
        z.object({
          date: z.string().date().openapi({ example: '2026-05-02' }),
          issued: Amount.openapi({ description: 'Points issued that day (net of corrections)' }),
          redeemed: Amount.openapi({ description: 'Points captured by redemptions confirmed that day' }),
          held: Amount.openapi({ description: 'Points held by open holds at the end of that day' }),
        }),
      )
      .openapi({ description: 'One entry per programme day of the period, oldest first' }),
  })
  .openapi('ReportSummary');

const Json = z.unknown().openapi({ description: 'State as recorded, as JSON (null when not recorded)' });

export const AuditEntry = z
  .object({
    id: z.string().regex(/^\d+$/).openapi({ example: '1024' }),
    at: z.string().datetime(),
    action: z.string().openapi({ example: 'ledger.adjust' }),
    actor: z
      .object({ id: z.string().uuid(), name: z.string(), role: z.string() })
      .nullable()
      .openapi({ description: 'Who did it; null for the system' }),
    targetType: z.string().openapi({ example: 'driver' }),
    targetId: z.string().nullable(),
    before: Json,
    after: Json,
  })
  .openapi('AuditEntry');

export const AuditLogQuery = z.object({
  cursor: z.string().max(500).optional().openapi({ description: 'From the previous page' }),
  limit: z.coerce.number().int().min(1).max(200).optional().openapi({ example: 50 }),
  action: z
    .string()
    .regex(/^[a-z0-9_.]{1,80}$/, 'an action is lower-case words joined by dots, like ledger.adjust')
    .optional()
    .openapi({ description: 'An action (`ledger.adjust`) or its prefix (`ledger` matches every `ledger.*`)', example: 'ledger' }),
  actorId: z.string().uuid('actorId is a UUID').optional(),
  targetType: z.string().regex(/^[a-z_]{1,40}$/, 'a target type is a lower-case word, like driver').optional().openapi({ example: 'driver' }),
  targetId: z.string().min(1).max(100).optional(),
});

export const AuditPage = z
  .object({
    items: z.array(AuditEntry),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next (older) page' }),
  })
  .openapi('AuditPage');
