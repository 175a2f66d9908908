import { z } from '@hono/zod-openapi';
import { safetyKinds, safetySeverities } from '../../db/schema/index';
import { storableText } from '../http/text';
import { Points } from '../ledger/ledger.schemas';

/** Most events one POST may carry; larger feeds send several batches. */
export const MAX_BATCH = 5_000;

export const SafetyKind = z.enum(safetyKinds).openapi({
  description: 'violation (severity minor | major), accident (severity at_fault_minor | serious) or inspection_passed (no severity)',
  example: 'violation',
});
export const SafetySeverity = z.enum(safetySeverities).openapi({ example: 'minor' });

export const SafetyEventInput = z
  .object({
    externalId: storableText(z.string().trim().min(1, 'an externalId is required').max(200)).openapi({
      description: "The sender's own id for the record. Posting the same externalId again records nothing new.",
      example: 'traffic-police-2026-000123',
    }),
    driverId: z.string().uuid('a driverId is a UUID').openapi({ description: 'The driver (a user with the driver role)', example: '0a9f3c52-6a51-4f6c-9a43-6f3f1d1a2b3c' }),
    kind: SafetyKind,
    severity: SafetySeverity.nullable().optional().openapi({ description: 'Required for violations and accidents; must be absent for inspection_passed' }),
    occurredAt: z.string().datetime({ offset: true, message: 'an ISO 8601 date-time with a time zone' }).openapi({
      description: 'When it happened (not in the future)',
      example: '2026-05-30T09:15:00+08:00',
    }),
    note: storableText(z.string().trim().max(500)).optional().openapi({ example: 'Speeding, 12 km/h over the limit on G4' }),
  })
  .openapi('SafetyEventInput');

export const SafetyEventsBody = z
  .object({
    events: z
      .array(SafetyEventInput)
      .min(1, 'send at least one event')
      .max(MAX_BATCH, `at most ${MAX_BATCH} events per request`)
      .openapi({ description: `One event or a batch of up to ${MAX_BATCH}. Either the whole batch is recorded or, if any item is invalid, nothing.` }),
  })
  .openapi('SafetyEventsBody');

export const SafetyItemResult = z
  .object({
    index: z.number().int().openapi({ description: 'Position of the item in the request', example: 0 }),
    externalId: z.string().openapi({ example: 'traffic-police-2026-000123' }),
    status: z.enum(['created', 'duplicate', 'conflict']).openapi({
      description:
        'created: recorded now. duplicate: already recorded with the same content (nothing changed). ' +
        'conflict: already recorded with different content (nothing changed; the stored record stands).',
    }),
    id: z.string().uuid().openapi({ description: 'The stored event' }),
    detail: z.string().optional().openapi({ description: 'For a conflict: which fields differ', example: 'kind differs from the stored event' }),
  })
  .openapi('SafetyItemResult');

export const SafetyBatchResult = z
  .object({
    created: z.number().int().openapi({ example: 1 }),
    duplicates: z.number().int().openapi({ example: 0 }),
    conflicts: z.number().int().openapi({ example: 0 }),
    items: z.array(SafetyItemResult),
    milestones: z
      .object({ paid: z.number().int(), points: Points })
      .openapi({ description: 'Safety milestones paid to the affected drivers as a result of this batch' }),
  })
  .openapi('SafetyBatchResult');

export const SafetyEvent = z
  .object({
    id: z.string().uuid(),
    externalId: z.string(),
    driverId: z.string().uuid(),
    kind: SafetyKind,
    severity: SafetySeverity.nullable(),
    occurredAt: z.string().datetime(),
    note: z.string().nullable(),
    voidedAt: z.string().datetime().nullable().openapi({ description: 'Set when an upheld appeal voided the event; it then counts for nothing' }),
    createdAt: z.string().datetime(),
  })
  .openapi('SafetyEvent');

export const SafetyEventPage = z
  .object({
    items: z.array(SafetyEvent),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next (older) page; null on the last page' }),
  })
  .openapi('SafetyEventPage');

export const SafetyEventsQuery = z.object({
  driverId: z.string().uuid().optional().openapi({ description: 'Committee: only this driver. Drivers always see only their own.' }),
  kind: SafetyKind.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional().openapi({ description: 'Page size (default 50)', example: 50 }),
});

const Milestone = z.object({
  rule: z.enum(['safety_streak', 'safety_challenge']),
  at: z.string().datetime().openapi({ description: 'When the streak reaches it, if no violation comes first' }),
  inDays: z.number().int().openapi({ example: 12 }),
  streakDays: z.number().int().openapi({ description: 'Length of the streak at that moment', example: 60 }),
  points: Points.nullable().openapi({ description: 'Base points under the rule version in force now (before grade multipliers); null when the rule is off' }),
});

export const MySafety = z
  .object({
    streak: z.object({
      startedAt: z.string().datetime().openapi({ description: 'Your latest violation that stands, or when you joined' }),
      days: z.number().int().openapi({ description: 'Whole days without a violation', example: 48 }),
    }),
    next: Milestone.nullable().openapi({ description: 'The next milestone of the current streak' }),
    challenge: z.object({
      days: z.number().int().nullable().openapi({ description: 'Days the challenge asks for', example: 100 }),
      completedAt: z.string().datetime().nullable().openapi({ description: 'When the current streak completed it (paid once per streak)' }),
    }),
    recentEvents: z.array(SafetyEvent).openapi({ description: 'Your latest ten safety records' }),
  })
  .openapi('MySafety');
