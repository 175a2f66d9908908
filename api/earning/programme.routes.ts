import { createRoute, z } from '@hono/zod-openapi';
import Decimal from 'decimal.js';
import { currentUser, requireRole } from '../auth/middleware';
import { createRouter, jsonBody, jsonContent, problems, signedIn } from '../http/openapi';
import { IdempotencyHeader } from '../ledger/ledger.schemas';
import { grantAward } from './awards';
import { Award, AwardBody } from './awards.schemas';
import type { EarningRow } from './earn';
import { expiryOutlook } from './expiry';
import { PointsExpiry } from './expiry.schemas';
import { inbox, markRead, type NotificationRow } from './inbox';
import { InboxQuery, Notification, NotificationIdParam, NotificationPage } from './inbox.schemas';
import { putSetting, readSetting } from './settings';
import { AwardsSetting, ExpirySetting, ProgrammeSettings } from './settings.schemas';
import type { Db } from '../../db/client';

const committeeOnly = requireRole('committee');
const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function settingsJson(db: Db): Promise<z.infer<typeof ProgrammeSettings>> {
  const [awards, expiry] = await Promise.all([readSetting(db, 'awards'), readSetting(db, 'expiry')]);
  return {
    awards: { maxPoints: new Decimal(awards.value.maxPoints).toFixed(2) },
    expiry: expiry.value,
    updatedAt: { awards: iso(awards.updatedAt), expiry: iso(expiry.updatedAt) },
  };
}

function awardJson(e: EarningRow, replayed: boolean): z.infer<typeof Award> {
  return {
    earningId: e.id,
    transferId: e.transferId!,
    driverId: e.driverId,
    points: e.points.toFixed(2),
    reason: e.reason ?? '',
    awardedBy: e.actorId,
    createdAt: e.createdAt.toISOString(),
    replayed,
  };
}

function notificationJson(n: NotificationRow): z.infer<typeof Notification> {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    data: (n.data as Record<string, unknown> | null) ?? null,
    read: n.readAt !== null,
    readAt: iso(n.readAt),
    createdAt: n.createdAt.toISOString(),
  };
}

const getSettingsRoute = createRoute({
  method: 'get',
  path: '/programme-settings',
  tags: ['programme'],
  summary: 'Programme settings: instant award maximum and points expiry',
  security: signedIn,
  middleware: committeeOnly,
  responses: { 200: jsonContent(ProgrammeSettings, 'Every setting'), ...problems(401, 403) },
});

const putAwardsRoute = createRoute({
  method: 'put',
  path: '/programme-settings/awards',
  tags: ['programme'],
  summary: 'Set the instant award maximum (audited)',
  description: 'Applies to awards granted from now on. The audit log keeps the value before and after.',
  security: signedIn,
  middleware: committeeOnly,
  request: { body: jsonBody(AwardsSetting) },
  responses: { 200: jsonContent(ProgrammeSettings, 'Every setting, after the change'), ...problems(401, 403) },
});

const putExpiryRoute = createRoute({
  method: 'put',
  path: '/programme-settings/expiry',
  tags: ['programme'],
  summary: 'Set points expiry (audited)',
  description:
    '`months: null` switches expiry off. Shortening `months` makes older points due at the next daily run. The audit log ' +
    'keeps the value before and after.',
  security: signedIn,
  middleware: committeeOnly,
  request: { body: jsonBody(ExpirySetting) },
  responses: { 200: jsonContent(ProgrammeSettings, 'Every setting, after the change'), ...problems(401, 403) },
});

const awardRoute = createRoute({
  method: 'post',
  path: '/awards',
  tags: ['rules'],
  summary: 'Grant an instant award (committee, audited)',
  description:
    'Pays the driver from the programme at once, with a reason, up to the programme maximum (`award-too-large` above it). ' +
    'Needs an `Idempotency-Key`: a retry returns the first award; the same key for a different award is a 409.',
  security: signedIn,
  middleware: committeeOnly,
  request: { headers: IdempotencyHeader, body: jsonBody(AwardBody) },
  responses: { 201: jsonContent(Award, 'The award'), ...problems(401, 403, 404, 409, 422) },
});

const expiryRoute = createRoute({
  method: 'get',
  path: '/me/points-expiry',
  tags: ['wallet'],
  summary: 'When my points expire, soonest first',
  description:
    'Points are spent oldest first; what remains expires the stated number of months after it was earned. Amounts due today ' +
    'go at the next daily run (held points wait until their voucher is resolved).',
  security: signedIn,
  middleware: requireRole('driver'),
  responses: { 200: jsonContent(PointsExpiry, 'What expires when'), ...problems(401, 403) },
});

const inboxRoute = createRoute({
  method: 'get',
  path: '/me/notifications',
  tags: ['inbox'],
  summary: 'My inbox, newest first, with the unread count',
  security: signedIn,
  middleware: requireRole(),
  request: { query: InboxQuery },
  responses: { 200: jsonContent(NotificationPage, 'One page of messages'), ...problems(401) },
});

const readRoute = createRoute({
  method: 'post',
  path: '/me/notifications/{id}/read',
  tags: ['inbox'],
  summary: 'Mark one of my messages read',
  description: 'Marking a message read twice keeps the first reading time.',
  security: signedIn,
  middleware: requireRole(),
  request: { params: NotificationIdParam },
  responses: { 200: jsonContent(Notification, 'The message'), ...problems(401, 404) },
});

/** Programme settings, instant awards, points expiry and the inbox. */
export const programmeRoutes = createRouter()
  .openapi(getSettingsRoute, async (c) => c.json(await settingsJson(c.get('db')), 200))
  .openapi(putAwardsRoute, async (c) => {
    await putSetting(c.get('db'), c.get('clock'), currentUser(c).id, 'awards', c.req.valid('json'));
    return c.json(await settingsJson(c.get('db')), 200);
  })
  .openapi(putExpiryRoute, async (c) => {
    await putSetting(c.get('db'), c.get('clock'), currentUser(c).id, 'expiry', c.req.valid('json'));
    return c.json(await settingsJson(c.get('db')), 200);
  })
  .openapi(awardRoute, async (c) => {
    const body = c.req.valid('json');
    const { earning, replayed } = await grantAward(
      c.get('db'),
      c.get('clock'),
      currentUser(c).id,
      { driverId: body.driverId, points: new Decimal(body.points), reason: body.reason },
      c.req.valid('header')['idempotency-key'],
    );
    return c.json(awardJson(earning, replayed), 201);
  })
  .openapi(expiryRoute, async (c) => {
    const outlook = await expiryOutlook(c.get('db'), c.get('clock'), currentUser(c).id);
    const dated = (d: { date: string; points: Decimal }) => ({ date: d.date, points: d.points.toFixed(2) });
    return c.json(
      {
        enabled: outlook.enabled,
        months: outlook.months,
        noticeDays: outlook.noticeDays,
        next: outlook.next ? dated(outlook.next) : null,
        schedule: outlook.schedule.map(dated),
        total: outlook.total.toFixed(2),
      },
      200,
    );
  })
  .openapi(inboxRoute, async (c) => {
    const query = c.req.valid('query');
    const page = await inbox(c.get('db'), currentUser(c).id, { cursor: query.cursor, limit: query.limit, unreadOnly: query.unread });
    return c.json({ items: page.items.map(notificationJson), unread: page.unread, nextCursor: page.nextCursor }, 200);
  })
  .openapi(readRoute, async (c) => {
    const n = await markRead(c.get('db'), currentUser(c).id, c.req.valid('param').id, c.get('clock').now());
    return c.json(notificationJson(n), 200);
  });
