import { z } from '@hono/zod-openapi';
import {
  claimStatuses,
  earningSources,
  grades,
  gridCategories,
  offerCategories,
  redemptionStatuses,
  reportStatuses,
  safetyKinds,
  safetySeverities,
} from '../../db/schema/index';
import { Points } from '../ledger/ledger.schemas';

const Grade = z.enum(grades).nullable().openapi({ description: 'Current credit grade; null until the driver has been graded', example: 'AA' });

export const DriverSearchQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .openapi({ description: 'Part of the name, phone number or plate number (any case; spaces and · in plates ignored)', example: '粤B' }),
  cursor: z.string().max(500).optional().openapi({ description: 'From the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ example: 20 }),
});

export const DriverSummary = z
  .object({
    id: z.string().uuid(),
    name: z.string().openapi({ example: '李伟 Li Wei' }),
    phone: z.string().openapi({ example: '13900000001' }),
    plateNumber: z.string().nullable().openapi({ example: '粤B·12345' }),
    grade: Grade,
    available: Points.nullable().openapi({ description: 'Spendable points now; null if the driver has no wallet' }),
  })
  .openapi('DriverSummary');

export const DriverPage = z
  .object({
    items: z.array(DriverSummary),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page' }),
  })
  .openapi('DriverPage');

export const DriverIdParam = z.object({
  id: z.string().uuid('a driver id is a UUID').openapi({ param: { name: 'id', in: 'path' }, example: '6f1c2f0e-2f7a-4b59-9a57-3f3b1c1d2e4f' }),
});

const Iso = z.string().datetime();

export const DriverProfile = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    phone: z.string(),
    plateNumber: z.string().nullable(),
    joinedAt: Iso,
    wallet: z
      .object({
        accountId: z.string().uuid(),
        available: Points.openapi({ description: 'Spendable now: posted minus held' }),
        held: Points.openapi({ description: 'Reserved by open vouchers' }),
        posted: Points,
        lifetimeEarned: Points.openapi({ description: 'Everything the programme has credited, net of corrections' }),
      })
      .nullable()
      .openapi({ description: 'null if the driver has no wallet' }),
    rating: z
      .object({ grade: z.enum(grades), score: z.string().openapi({ example: '72.50' }), ratedAt: Iso })
      .nullable()
      .openapi({ description: 'The stored rating (GET /drivers/{id}/rating re-grades and explains it); null until graded' }),
    activities: z
      .object({
        volunteering: z.array(
          z.object({
            id: z.string().uuid(),
            event: z.string(),
            activityDate: z.string().date(),
            hours: z.string().openapi({ example: '4.00' }),
            status: z.enum(claimStatuses),
            createdAt: Iso,
          }),
        ),
        gridReports: z.array(
          z.object({ id: z.string().uuid(), category: z.enum(gridCategories), status: z.enum(reportStatuses), createdAt: Iso, verifiedAt: Iso.nullable() }),
        ),
        safetyEvents: z.array(
          z.object({
            id: z.string().uuid(),
            kind: z.enum(safetyKinds),
            severity: z.enum(safetySeverities).nullable(),
            occurredAt: Iso,
            voided: z.boolean().openapi({ description: 'Voided by an upheld appeal: counts for nothing' }),
          }),
        ),
        earnings: z.array(
          z.object({
            id: z.string().uuid(),
            source: z.enum(earningSources),
            points: Points,
            reason: z.string().nullable(),
            activityAt: Iso,
            createdAt: Iso,
          }),
        ),
        redemptions: z.array(
          z.object({
            id: z.string().uuid(),
            offerTitle: z.string(),
            category: z.enum(offerCategories),
            partnerName: z.string(),
            price: Points,
            captured: Points.nullable(),
            status: z.enum(redemptionStatuses),
            createdAt: Iso,
            resolvedAt: Iso.nullable(),
          }),
        ),
      })
      .openapi({ description: 'The latest few of each kind, newest first' }),
  })
  .openapi('DriverProfile');
