import { createRoute, z } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify/sync';
import Decimal from 'decimal.js';
import type { MiddlewareHandler, TypedResponse } from 'hono';
import { currentUser, requireRole } from '../auth/middleware';
import { AppError } from '../errors';
import type { AppEnv, SessionUser } from '../http/env';
import { createRouter, jsonBody, jsonContent, problems, signedIn } from '../http/openapi';
import { spreadsheetSafe } from '../http/csv';
import { IdempotencyHeader } from '../ledger/ledger.schemas';
import { benefitsOf, meetsGrade, priceFor, type BenefitTable } from '../rating/benefits';
import { localDate, localMidnight } from '../earning/earn';
import type { Db } from '../../db/client';
import type { Grade } from '../../db/schema/index';
import {
  CatalogQuery,
  ConfirmBody,
  CreateOfferBody,
  Honour,
  IdParam,
  Offer,
  OfferPage,
  PartnerStatement,
  RedeemBody,
  RegionList,
  Redemption,
  Settlement,
  SettlementBody,
  StatementQuery,
  UpdateOfferBody,
} from './market.schemas';
import { approveOffer, CatalogCache, CatalogPages, createOffer, filterAndSort, findOffer, isOpen, offersWithStatus, ShopViewCache, updateOffer, type CatalogOffer, type ShopView } from './offers';
import {
  cancelRedemption,
  confirmVoucher,
  lookupVoucher,
  myRedemptions,
  partnerStatement,
  redeem,
  redemptionDetails,
  rejectVoucher,
  settle,
  type HonourView,
  type RedemptionRow,
} from './redemptions';
import { formatCode, voucherQr } from './voucher';

const points = (d: Decimal) => d.toFixed(2);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

interface Viewer {
  grade: Grade | null;
  available: Decimal | null;
  benefits?: BenefitTable;
}

function viewerOf(views: ShopViewCache, db: Db, user: SessionUser | null): Promise<Viewer> | Viewer {
  if (!user || user.role !== 'driver') return { grade: null, available: null };
  return views.get(db, user.id);
}

function offerJson(o: CatalogOffer, viewer: Viewer): z.infer<typeof Offer> {
  const yourPrice = priceFor(o.price, viewer.grade, viewer.benefits);
  return {
    id: o.id,
    partner: { id: o.partnerId, name: o.partnerName, kind: o.partnerKind, region: o.partnerRegion },
    category: o.category,
    title: o.title,
    description: o.description,
    faceValue: o.faceValue,
    price: points(o.price),
    yourPrice: points(yourPrice),
    qualifies: meetsGrade(viewer.grade, o.minGrade),
    affordable: viewer.available ? viewer.available.greaterThanOrEqualTo(yourPrice) : null,
    stockTotal: o.stockTotal,
    stockLeft: o.stockLeft,
    perDriverLimit: o.perDriverLimit,
    limitPeriod: o.limitPeriod,
    validFrom: iso(o.validFrom),
    validTo: iso(o.validTo),
    minGrade: o.minGrade,
    status: o.status,
    createdAt: o.createdAt.toISOString(),
  };
}

/**
 * The catalog's offers as JSON, serialised once per cached catalog list and price level (grade and
 * discount) instead of once per read. Each offer's text is cut around its `affordable` flag, the
 * one field that depends on the caller's balance, which each read fills in. A reload or a change
 * to the catalog makes a new list, and so new text.
 */
interface OfferText {
  head: string;
  tail: string;
  yourPrice: Decimal;
}
/** Where JSON.stringify puts the placeholder `affordable: '\u0000'`: a NUL, which it escapes, so no other text of the offer can read like this. */
const AFFORDABLE_CUT = '"affordable":"\\u0000"';
const offerTexts = new WeakMap<readonly CatalogOffer[], Map<string, Map<string, OfferText>>>();

/** An offer's text at one price level (`texts`), made on first use. */
function offerTextOf(o: CatalogOffer, viewer: Viewer, texts: Map<string, OfferText>): OfferText {
  let text = texts.get(o.id);
  if (!text) {
    const json = offerJson(o, { ...viewer, available: null });
    const parts = JSON.stringify({ ...json, affordable: '\u0000' }).split(AFFORDABLE_CUT);
    if (parts.length !== 2) throw new Error(`offer ${o.id}: no single place for "affordable" in its JSON`);
    text = { head: `${parts[0]!}"affordable":`, tail: parts[1]!, yourPrice: new Decimal(json.yourPrice) };
    texts.set(o.id, text);
  }
  return text;
}

/** `offerJson(o, viewer)` for each offer of the cached catalog list, as one JSON array. */
function offersText(catalogList: readonly CatalogOffer[], offers: readonly CatalogOffer[], viewer: Viewer): string {
  let levels = offerTexts.get(catalogList);
  if (!levels) offerTexts.set(catalogList, (levels = new Map()));
  const level = `${viewer.grade ?? '-'}|${benefitsOf(viewer.grade, viewer.benefits).priceDiscount.toString()}`;
  let texts = levels.get(level);
  if (!texts) levels.set(level, (texts = new Map()));
  const parts = offers.map((o) => {
    const text = offerTextOf(o, viewer, texts);
    const affordable = viewer.available ? String(viewer.available.greaterThanOrEqualTo(text.yourPrice)) : 'null';
    return text.head + affordable + text.tail;
  });
  return `[${parts.join(',')}]`;
}

function redemptionJson(
  r: RedemptionRow,
  extra: { offerTitle: string; faceValue: string; partnerName: string; partnerAddress: string | null },
  qr?: string,
  replayed?: boolean,
): z.infer<typeof Redemption> {
  return {
    id: r.id,
    offerId: r.offerId,
    offerTitle: extra.offerTitle,
    faceValue: extra.faceValue,
    partner: { id: r.partnerId, name: extra.partnerName, address: extra.partnerAddress },
    code: formatCode(r.code),
    ...(qr ? { qr } : {}),
    price: points(r.price),
    captured: r.captured ? points(r.captured) : null,
    status: r.status,
    expiresAt: r.expiresAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    resolvedAt: iso(r.resolvedAt),
    ...(replayed !== undefined ? { replayed } : {}),
  };
}

function honourJson(h: HonourView): z.infer<typeof Honour> {
  const r = h.redemption;
  return {
    id: r.id,
    status: r.status,
    code: formatCode(r.code),
    offerTitle: h.offerTitle,
    faceValue: h.faceValue,
    driverName: h.driverName,
    plateNumber: h.plateNumber,
    captured: r.captured ? points(r.captured) : null,
    price: points(r.price),
    expiresAt: r.expiresAt.toISOString(),
  };
}

/** Cursor over the sorted catalog: the id of the last item served. */
function pageOf<T extends { id: string }>(list: T[], cursor: string | undefined, limit: number) {
  let start = 0;
  if (cursor) {
    const id = Buffer.from(cursor, 'base64url').toString('utf8');
    const at = list.findIndex((o) => o.id === id);
    if (at < 0) throw new AppError('validation_failed', 'cursor is not one this API returned (or the offer left the catalog)', { fields: [{ path: 'cursor', message: 'invalid cursor' }] });
    start = at + 1;
  }
  const items = list.slice(start, start + limit);
  const last = items[items.length - 1];
  return { items, nextCursor: start + limit < list.length && last ? Buffer.from(last.id).toString('base64url') : null };
}

/** The catalog route, with `fastPath` between the sign-in check and the query's validation. */
const catalogRoute = (fastPath: MiddlewareHandler<AppEnv>) =>
  createRoute({
    method: 'get',
    path: '/offers',
    tags: ['catalog'],
    summary: 'Browse offers',
    description:
      'Active offers by default, with the caller’s price after their grade discount and whether their grade qualifies. ' +
      'Committee members (any partner) and partner staff (their own) may list other statuses, e.g. the approval queue.',
    security: signedIn,
    middleware: [requireRole(), fastPath] as const,
    request: { query: CatalogQuery },
    responses: { 200: jsonContent(OfferPage, 'One page of offers'), ...problems(401, 403) },
  });

const JSON_TYPE = { 'content-type': 'application/json' } as const;

/** The query string as sent (without the `?`): a catalog page's key. */
function rawQuery(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
}

/** A driver's repeated catalog read answered from `pages`, before any parsing; anything else goes on. */
function samePageAgain(catalog: CatalogCache, views: ShopViewCache, pages: CatalogPages): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const user = c.get('user');
    if (user?.role === 'driver') {
      const body = pages.find(user.id, views.peek(user.id), catalog.peek(), rawQuery(c.req.url), c.get('clock').now());
      if (body !== undefined) return Promise.resolve(c.body(body, 200, JSON_TYPE));
    }
    return next();
  };
}

const offerRoute = createRoute({
  method: 'get',
  path: '/offers/{id}',
  tags: ['catalog'],
  summary: 'One offer',
  security: signedIn,
  middleware: requireRole(),
  request: { params: IdParam },
  responses: { 200: jsonContent(Offer, 'The offer'), ...problems(401, 403, 404) },
});

const createOfferRoute = createRoute({
  method: 'post',
  path: '/offers',
  tags: ['catalog'],
  summary: 'Propose an offer (partner staff) or add one (committee); it awaits approval',
  security: signedIn,
  middleware: requireRole('partner_staff', 'committee'),
  request: { body: jsonBody(CreateOfferBody) },
  responses: { 201: jsonContent(Offer, 'The new offer'), ...problems(401, 403, 404) },
});

const updateOfferRoute = createRoute({
  method: 'patch',
  path: '/offers/{id}',
  tags: ['catalog'],
  summary: 'Change an offer: details, stock, pause/resume, retire',
  description:
    'Partner staff changing the terms of an active or paused offer (category, title, description, face value, price, minimum grade) ' +
    'send it back to `pending_approval` until the committee approves it again; stock, limits, dates and pausing do not.',
  security: signedIn,
  middleware: requireRole('partner_staff', 'committee'),
  request: { params: IdParam, body: jsonBody(UpdateOfferBody) },
  responses: { 200: jsonContent(Offer, 'The offer after the change'), ...problems(401, 403, 404, 409, 422) },
});

const approveOfferRoute = createRoute({
  method: 'post',
  path: '/offers/{id}/approve',
  tags: ['catalog'],
  summary: 'Approve an offer pending approval (committee)',
  security: signedIn,
  middleware: requireRole('committee'),
  request: { params: IdParam },
  responses: { 200: jsonContent(Offer, 'The approved, now active, offer'), ...problems(401, 403, 404, 409) },
});

const redeemRoute = createRoute({
  method: 'post',
  path: '/redemptions',
  tags: ['redemption'],
  summary: 'Redeem points for a voucher',
  description:
    'Holds the points and issues a voucher code with a QR image, valid for 30 days. Refusals each have their own problem ' +
    'type: offer-not-active, out-of-stock, insufficient-funds, grade-too-low, limit-reached. A retry with the same ' +
    'Idempotency-Key returns the same voucher.',
  security: signedIn,
  middleware: requireRole('driver'),
  request: { headers: IdempotencyHeader, body: jsonBody(RedeemBody) },
  responses: { 201: jsonContent(Redemption, 'The voucher'), ...problems(401, 403, 404, 409, 422) },
});

const myRedemptionsRoute = createRoute({
  method: 'get',
  path: '/me/redemptions',
  tags: ['redemption'],
  summary: 'My vouchers, newest first',
  security: signedIn,
  middleware: requireRole('driver'),
  responses: { 200: jsonContent(z.object({ items: z.array(Redemption) }), 'My redemptions'), ...problems(401, 403) },
});

const myRedemptionRoute = createRoute({
  method: 'get',
  path: '/me/redemptions/{id}',
  tags: ['redemption'],
  summary: 'One of my vouchers, with its QR image',
  security: signedIn,
  middleware: requireRole('driver'),
  request: { params: IdParam },
  responses: { 200: jsonContent(Redemption, 'The voucher'), ...problems(401, 403, 404) },
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/redemptions/{id}/cancel',
  tags: ['redemption'],
  summary: 'Cancel an unused voucher: points released, stock restored',
  security: signedIn,
  middleware: requireRole('driver'),
  request: { params: IdParam },
  responses: { 200: jsonContent(z.object({ id: z.string().uuid(), status: z.literal('cancelled') }), 'Cancelled'), ...problems(401, 403, 404, 409) },
});

const lookupRoute = createRoute({
  method: 'get',
  path: '/partner/redemptions/lookup',
  tags: ['partner desk'],
  summary: 'Check a voucher code before honouring it (changes nothing)',
  security: signedIn,
  middleware: requireRole('partner_staff'),
  request: { query: z.object({ code: z.string().max(40) }) },
  responses: { 200: jsonContent(Honour, 'What to honour'), ...problems(401, 403, 404, 409, 422) },
});

const confirmRoute = createRoute({
  method: 'post',
  path: '/partner/redemptions/confirm',
  tags: ['partner desk'],
  summary: 'Honour a voucher by its code',
  security: signedIn,
  middleware: requireRole('partner_staff'),
  request: { body: jsonBody(ConfirmBody) },
  responses: { 200: jsonContent(Honour, 'Confirmed'), ...problems(401, 403, 404, 409, 422) },
});

const rejectRoute = createRoute({
  method: 'post',
  path: '/partner/redemptions/{id}/reject',
  tags: ['partner desk'],
  summary: 'Refuse a voucher: the points go back to the driver',
  security: signedIn,
  middleware: requireRole('partner_staff'),
  request: { params: IdParam, body: jsonBody(z.object({ reason: z.string().trim().min(3).max(300) }).openapi('RejectBody')) },
  responses: { 200: jsonContent(z.object({ id: z.string().uuid(), status: z.literal('rejected') }), 'Rejected'), ...problems(401, 403, 404, 409, 422) },
});

const statementRoute = createRoute({
  method: 'get',
  path: '/partner/statement',
  tags: ['partner desk'],
  summary: 'Confirmed redemptions in a period, as JSON or CSV',
  description: 'Defaults to the current month. `format=csv` (or `Accept: text/csv`) downloads a spreadsheet.',
  security: signedIn,
  middleware: requireRole('partner_staff'),
  request: { query: StatementQuery },
  responses: {
    200: {
      description: 'The statement',
      content: { 'application/json': { schema: PartnerStatement }, 'text/csv': { schema: z.string() } },
    },
    ...problems(401, 403),
  },
});

const regionsRoute = createRoute({
  method: 'get',
  path: '/offer-regions',
  tags: ['catalog'],
  summary: 'Regions that have open offers, for a catalog filter',
  description: 'Each partner region with at least one active, currently valid offer, in alphabetical order; pass one as `region` to GET /offers.',
  security: signedIn,
  middleware: requireRole(),
  responses: { 200: jsonContent(RegionList, 'The regions'), ...problems(401) },
});

const settleRoute = createRoute({
  method: 'post',
  path: '/partners/{id}/settlements',
  tags: ['partners'],
  summary: "Settle a partner's confirmed points for a period (audited)",
  description: 'The period must have ended (`to` no later than now): 422 `invalid-period` otherwise. One settlement per partner and exact period (409).',
  security: signedIn,
  middleware: requireRole('committee'),
  request: { headers: IdempotencyHeader, params: IdParam, body: jsonBody(SettlementBody) },
  responses: { 201: jsonContent(Settlement, 'The settlement'), ...problems(401, 403, 404, 409, 422) },
});

/** The programme's calendar month containing `now` (Asia/Shanghai, as earning and reports count days). */
function monthBounds(now: Date): { from: Date; to: Date } {
  const [year, month] = localDate(now).split('-').map(Number) as [number, number];
  const first = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-01`;
  return { from: localMidnight(first(year, month)), to: localMidnight(month === 12 ? first(year + 1, 1) : first(year, month + 1)) };
}

/** The market's routes; each app gets its own catalog and shop-view caches and its own kept pages. */
export function createMarketRoutes(catalog = new CatalogCache(), views = new ShopViewCache(), pages = new CatalogPages()) {
  return createRouter()
    .openapi(catalogRoute(samePageAgain(catalog, views, pages)), async (c) => {
      const user = currentUser(c);
      const query = c.req.valid('query');
      const status = query.status ?? 'active';
      if (status !== 'active' && user.role !== 'committee' && user.role !== 'partner_staff') {
        throw new AppError('forbidden', 'only committee members and partner staff see offers that are not active');
      }
      const db = c.get('db');
      const viewer = await viewerOf(views, db, user);
      const now = c.get('clock').now();
      const active = status === 'active' ? await catalog.activeOffers(db) : null;
      let list = active
        ? active.filter((o) => isOpen(o, now))
        : await offersWithStatus(db, status, user.role === 'partner_staff' ? user.partnerId! : undefined);
      list = filterAndSort(list, query);
      if (query.affordable && viewer.available) {
        const available = viewer.available;
        list = list.filter((o) => available.greaterThanOrEqualTo(priceFor(o.price, viewer.grade, viewer.benefits)) && meetsGrade(viewer.grade, o.minGrade));
      }
      const page = pageOf(list, query.cursor, query.limit ?? 20);
      if (!active) return c.json({ items: page.items.map((o) => offerJson(o, viewer)), nextCursor: page.nextCursor }, 200);
      // Every driver's read of the active catalog: the offers' text is made once per price level.
      const body = `{"items":${offersText(active, page.items, viewer)},"nextCursor":${JSON.stringify(page.nextCursor)}}`;
      if (user.role === 'driver') pages.keep(user.id, { view: viewer as ShopView, list: active, query: rawQuery(c.req.url), body }, now);
      return c.body(body, 200, JSON_TYPE) as unknown as TypedResponse<z.infer<typeof OfferPage>, 200, 'json'>;
    })
    .openapi(offerRoute, async (c) => {
      const user = currentUser(c);
      const offer = await findOffer(c.get('db'), c.req.valid('param').id);
      const visible = offer && (offer.status === 'active' || user.role === 'committee' || (user.role === 'partner_staff' && user.partnerId === offer.partnerId));
      if (!visible) throw new AppError('offer_not_found', `no offer ${c.req.valid('param').id}`);
      return c.json(offerJson(offer, await viewerOf(views, c.get('db'), user)), 200);
    })
    .openapi(createOfferRoute, async (c) => {
      const created = await createOffer(c.get('db'), currentUser(c), c.req.valid('json'), c.get('clock').now());
      catalog.invalidate();
      return c.json(offerJson((await findOffer(c.get('db'), created.id))!, { grade: null, available: null }), 201);
    })
    .openapi(updateOfferRoute, async (c) => {
      const { id } = c.req.valid('param');
      await updateOffer(c.get('db'), currentUser(c), id, c.req.valid('json'), c.get('clock').now());
      catalog.invalidate();
      return c.json(offerJson((await findOffer(c.get('db'), id))!, { grade: null, available: null }), 200);
    })
    .openapi(approveOfferRoute, async (c) => {
      const { id } = c.req.valid('param');
      await approveOffer(c.get('db'), currentUser(c), id, c.get('clock').now());
      catalog.invalidate();
      return c.json(offerJson((await findOffer(c.get('db'), id))!, { grade: null, available: null }), 200);
    })
    .openapi(redeemRoute, async (c) => {
      const driver = currentUser(c);
      const { offerId } = c.req.valid('json');
      const key = c.req.valid('header')['idempotency-key'];
      // Whatever the answer, the shop shows this driver's points afresh from now on.
      const { redemption, details, replayed } = await redeem(c.get('db'), c.get('clock'), driver, offerId, key).finally(() => views.forget(driver.id));
      return c.json(redemptionJson(redemption, details, await voucherQr(redemption.code), replayed), 201);
    })
    .openapi(myRedemptionsRoute, async (c) => {
      const rows = await myRedemptions(c.get('db'), currentUser(c).id);
      return c.json({ items: rows.map((row) => redemptionJson(row.r, row)) }, 200);
    })
    .openapi(myRedemptionRoute, async (c) => {
      const row = await redemptionDetails(c.get('db'), c.req.valid('param').id);
      if (!row || row.r.driverId !== currentUser(c).id) throw new AppError('redemption_not_found', 'you have no such redemption');
      return c.json(redemptionJson(row.r, row, await voucherQr(row.r.code)), 200);
    })
    .openapi(cancelRoute, async (c) => {
      const r = await cancelRedemption(c.get('db'), c.get('clock'), currentUser(c), c.req.valid('param').id);
      views.forget(currentUser(c).id);
      return c.json({ id: r.id, status: 'cancelled' as const }, 200);
    })
    .openapi(lookupRoute, async (c) => c.json(honourJson(await lookupVoucher(c.get('db'), c.get('clock'), currentUser(c), c.req.valid('query').code)), 200))
    .openapi(confirmRoute, async (c) => {
      const { code, amount } = c.req.valid('json');
      const view = await confirmVoucher(c.get('db'), c.get('clock'), currentUser(c), code, amount ? new Decimal(amount) : undefined);
      return c.json(honourJson(view), 200);
    })
    .openapi(rejectRoute, async (c) => {
      const r = await rejectVoucher(c.get('db'), c.get('clock'), currentUser(c), c.req.valid('param').id, c.req.valid('json').reason);
      return c.json({ id: r.id, status: 'rejected' as const }, 200);
    })
    .openapi(statementRoute, async (c) => {
      const staff = currentUser(c);
      const query = c.req.valid('query');
      const month = monthBounds(c.get('clock').now());
      const from = query.from ? new Date(query.from) : month.from;
      const to = query.to ? new Date(query.to) : month.to;
      if (from >= to) throw new AppError('validation_failed', '`from` must be before `to`', { fields: [{ path: 'to', message: 'must be after from' }] });
      const { rows, total } = await partnerStatement(c.get('db'), staff.partnerId!, from, to);
      const wantsCsv = query.format === 'csv' || (!query.format && (c.req.header('accept') ?? '').includes('text/csv'));
      if (wantsCsv) {
        const csv = stringify([
          ['confirmed_at', 'voucher', 'offer', 'driver', 'plate', 'points', 'settled'],
          ...rows.map((r) => [r.resolvedAt!.toISOString(), formatCode(r.code), r.offerTitle, r.driverName, r.plateNumber ?? '', r.captured!.toFixed(2), r.settlementId ? 'yes' : 'no'].map(spreadsheetSafe)),
          ['', '', '', '', 'total', total.toFixed(2), ''],
        ]);
        const name = `milepost-statement-${localDate(from)}-${localDate(to)}.csv`;
        return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });
      }
      return c.json(
        {
          partnerId: staff.partnerId!,
          from: from.toISOString(),
          to: to.toISOString(),
          total: points(total),
          count: rows.length,
          lines: rows.map((r) => ({
            redemptionId: r.id,
            confirmedAt: r.resolvedAt!.toISOString(),
            code: formatCode(r.code),
            offerTitle: r.offerTitle,
            driverName: r.driverName,
            plateNumber: r.plateNumber,
            points: points(r.captured!),
            settled: r.settlementId !== null,
          })),
        },
        200,
      );
    })
    .openapi(settleRoute, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const key = c.req.valid('header')['idempotency-key'];
      const { settlement: s, replayed } = await settle(c.get('db'), c.get('clock'), currentUser(c), id, new Date(body.from), new Date(body.to), key);
      return c.json(
        { id: s.id, partnerId: s.partnerId, from: s.periodFrom.toISOString(), to: s.periodTo.toISOString(), amount: points(s.amount), redemptions: s.redemptions, transferId: s.transferId, replayed },
        201,
      );
    })
    .openapi(regionsRoute, async (c) => {
      const now = c.get('clock').now();
      const open = (await catalog.activeOffers(c.get('db'))).filter((o) => isOpen(o, now));
      const items = [...new Set(open.map((o) => o.partnerRegion))].sort();
      return c.json({ items }, 200);
    });
}
