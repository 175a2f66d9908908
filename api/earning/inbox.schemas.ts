import { z } from '@hono/zod-openapi';

export const Notification = z
  .object({
    id: z.string().uuid(),
    kind: z.string().openapi({
      description: 'What it is about: `points_expiring`, `points_expired`, `appeal_decided`, `rating_changed` …',
      example: 'points_expiring',
    }),
    title: z.string().openapi({ example: '70.00 points expire on 2026-07-01' }),
    body: z.string().openapi({ example: '70.00 of your points expire on 2026-07-01. Spend them in the points mall before then.' }),
    data: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'Structured details (ids, amounts as decimal strings, dates)' }),
    read: z.boolean(),
    readAt: z.string().datetime().nullable(),
    createdAt: z.string().datetime(),
  })
  .openapi('Notification');

export const NotificationPage = z
  .object({
    items: z.array(Notification),
    unread: z.number().int().openapi({ description: 'Unread messages in the whole inbox', example: 2 }),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next (older) page' }),
  })
  .openapi('NotificationPage');

const boolish = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const InboxQuery = z.object({
  unread: boolish.openapi({ description: 'Only unread messages' }),
  cursor: z.string().max(500).optional().openapi({ description: 'From the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ example: 20 }),
});

export const NotificationIdParam = z.object({
  id: z.string().uuid('a notification id is a UUID').openapi({ param: { name: 'id', in: 'path' } }),
});
