import { z } from '@hono/zod-openapi';
import { Points } from '../ledger/ledger.schemas';

const DatedPoints = z.object({
  date: z.string().date().openapi({ description: 'Programme-local date (Asia/Shanghai) the points expire on', example: '2026-07-01' }),
  points: Points,
});

export const PointsExpiry = z
  .object({
    enabled: z.boolean().openapi({ description: 'False when the programme has switched points expiry off' }),
    months: z.number().int().nullable().openapi({ description: 'Points expire this many months after they were earned', example: 24 }),
    noticeDays: z.number().int().openapi({ description: 'An inbox notice arrives this many days before points expire', example: 30 }),
    next: DatedPoints.nullable().openapi({ description: 'The soonest expiry; null when nothing will expire' }),
    schedule: z.array(DatedPoints).openapi({ description: 'The next few dates on which points expire, soonest first (at most 6)' }),
    total: Points.openapi({ description: 'Everything that will expire over time if nothing is spent (points are spent oldest first)' }),
  })
  .openapi('PointsExpiry');
