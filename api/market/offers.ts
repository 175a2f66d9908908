import Decimal from 'decimal.js';
import { and, eq, sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { queryRows, uuidArray, type Db } from '../../db/client';
import { GroupCommit } from '../../db/group-commit';
import { offers, partners, type Grade, type OfferStatus } from '../../db/schema/index';
import { benefitTableOf, POLICY_IN_FORCE, type BenefitTable } from '../rating/benefits';
import { audit } from '../audit/audit';
import { AppError } from '../errors';
import type { SessionUser } from '../http/env';
import type { CreateOfferBody, UpdateOfferBody } from './market.schemas';

export type OfferRow = typeof offers.$inferSelect;

export interface CatalogOffer extends OfferRow {
  partnerName: string;
  partnerKind: string;
  partnerRegion: string;
  partnerStatus: string;
}

const toDate = (v: string | null | undefined) => (v ? new Date(v) : v === null ? null : undefined);

/** Partner staff act for their own partner only; the committee for any. */
function partnerFor(actor: SessionUser, requested: string | undefined): string {
  if (actor.role === 'partner_staff') {
    if (requested && requested !== actor.partnerId) throw new AppError('forbidden', 'you can only manage your own partner’s offers');
    return actor.partnerId!;
  }
  if (!requested) throw new AppError('validation_failed', 'partnerId is required', { fields: [{ path: 'partnerId', message: 'required for committee members' }] });
  return requested;
}

export async function createOffer(db: Db, actor: SessionUser, body: z.infer<typeof CreateOfferBody>, now: Date) {
  const partnerId = partnerFor(actor, body.partnerId);
  const [partner] = await db.select({ id: partners.id }).from(partners).where(eq(partners.id, partnerId));
  if (!partner) throw new AppError('not_found', `no partner ${partnerId}`);
  checkWindow(toDate(body.validFrom) ?? null, toDate(body.validTo) ?? null);
  return db.transaction(async (tx) => {
    const [offer] = await tx
      .insert(offers)
      .values({
        partnerId,
        category: body.category,
        title: body.title,
        description: body.description ?? '',
        faceValue: body.faceValue,
        price: new Decimal(body.price),
        stockTotal: body.stock,
        stockLeft: body.stock,
        perDriverLimit: body.perDriverLimit,
        limitPeriod: body.limitPeriod ?? 'month',
        validFrom: toDate(body.validFrom) ?? null,
        validTo: toDate(body.validTo) ?? null,
        minGrade: body.minGrade ?? null,
        status: body.submit === false ? 'draft' : 'pending_approval',
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await audit(tx, { actorId: actor.id, action: 'offer.create', targetType: 'offer', targetId: offer!.id, after: offer, at: now });
    return offer!;
  });
}

function checkWindow(from: Date | null, to: Date | null) {
  if (from && to && from >= to) {
    throw new AppError('validation_failed', 'validFrom must be before validTo', { fields: [{ path: 'validTo', message: 'must be after validFrom' }] });
  }
}

const TRANSITIONS: Record<OfferStatus, OfferStatus[]> = {
  draft: ['pending_approval', 'retired'],
  pending_approval: ['draft', 'retired'],
  active: ['paused', 'retired'],
  paused: ['active', 'retired'],
  retired: [],
};

/** Whether `changes` alter what the driver is promised and pays: category, title, description, face value, price or minimum grade. */
function changesTerms(before: OfferRow, changes: Partial<typeof offers.$inferInsert>): boolean {
  return (
    (changes.category !== undefined && changes.category !== before.category) ||
    (changes.title !== undefined && changes.title !== before.title) ||
    (changes.description !== undefined && changes.description !== before.description) ||
    (changes.faceValue !== undefined && changes.faceValue !== before.faceValue) ||
    (changes.price !== undefined && !new Decimal(changes.price).equals(before.price)) ||
    (changes.minGrade !== undefined && changes.minGrade !== before.minGrade)
  );
}

async function lockedOffer(db: Db, id: string): Promise<OfferRow> {
  const [offer] = await db.select().from(offers).where(eq(offers.id, id)).for('no key update');
  if (!offer) throw new AppError('offer_not_found', `no offer ${id}`);
  return offer;
}

export async function updateOffer(db: Db, actor: SessionUser, id: string, body: z.infer<typeof UpdateOfferBody>, now: Date) {
  return db.transaction(async (tx) => {
    const before = await lockedOffer(tx, id);
    partnerFor(actor, before.partnerId);
    if (before.status === 'retired') throw new AppError('invalid_transition', 'a retired offer cannot be changed');
    if (body.status && body.status !== before.status && !TRANSITIONS[before.status].includes(body.status)) {
      throw new AppError('invalid_transition', `an offer that is ${before.status} cannot become ${body.status}`);
    }
    const changes: Partial<typeof offers.$inferInsert> = { updatedAt: now };
    if (body.category) changes.category = body.category;
    if (body.title !== undefined) changes.title = body.title;
    if (body.description !== undefined) changes.description = body.description;
    if (body.faceValue !== undefined) changes.faceValue = body.faceValue;
    if (body.price !== undefined) changes.price = new Decimal(body.price);
    if (body.perDriverLimit !== undefined) changes.perDriverLimit = body.perDriverLimit;
    if (body.limitPeriod !== undefined) changes.limitPeriod = body.limitPeriod;
    if (body.validFrom !== undefined) changes.validFrom = toDate(body.validFrom) ?? null;
    if (body.validTo !== undefined) changes.validTo = toDate(body.validTo) ?? null;
    if (body.minGrade !== undefined) changes.minGrade = body.minGrade;
    if (body.status !== undefined) changes.status = body.status;
    if (body.stock !== undefined) {
      const issued = before.stockTotal - before.stockLeft;
      if (body.stock < issued) {
        throw new AppError('unprocessable', `${issued} vouchers are already out; stock cannot go below that`, {
          fields: [{ path: 'stock', message: `at least ${issued}` }],
        });
      }
      changes.stockTotal = body.stock;
      changes.stockLeft = body.stock - issued;
    }
    checkWindow(changes.validFrom === undefined ? before.validFrom : changes.validFrom, changes.validTo === undefined ? before.validTo : changes.validTo);
    // The committee approved these terms: a partner's change to them on a live offer takes it out
    // of the shop until the committee approves them again. Stock, limits, dates and pausing stay
    // the partner's to manage.
    if (actor.role === 'partner_staff' && (before.status === 'active' || before.status === 'paused') && changes.status !== 'retired' && changesTerms(before, changes)) {
      changes.status = 'pending_approval';
    }
    const [after] = await tx.update(offers).set(changes).where(eq(offers.id, id)).returning();
    await audit(tx, { actorId: actor.id, action: 'offer.update', targetType: 'offer', targetId: id, before, after, at: now });
    return after!;
  });
}

export async function approveOffer(db: Db, actor: SessionUser, id: string, now: Date) {
  return db.transaction(async (tx) => {
    const before = await lockedOffer(tx, id);
    if (before.status !== 'pending_approval') {
      throw new AppError('invalid_transition', `only offers pending approval can be approved; this one is ${before.status}`);
    }
    const [after] = await tx.update(offers).set({ status: 'active', updatedAt: now }).where(eq(offers.id, id)).returning();
    await audit(tx, { actorId: actor.id, action: 'offer.approve', targetType: 'offer', targetId: id, before: { status: before.status }, after: { status: 'active' }, at: now });
    return after!;
  });
}

const catalogColumns = {
  offer: offers,
  partnerName: partners.name,
  partnerKind: partners.kind,
  partnerRegion: partners.region,
  partnerStatus: partners.status,
};

function flatten(row: { offer: OfferRow; partnerName: string; partnerKind: string; partnerRegion: string; partnerStatus: string }): CatalogOffer {
  return { ...row.offer, partnerName: row.partnerName, partnerKind: row.partnerKind, partnerRegion: row.partnerRegion, partnerStatus: row.partnerStatus };
}

export async function findOffer(db: Db, id: string): Promise<CatalogOffer | undefined> {
  const [row] = await db.select(catalogColumns).from(offers).innerJoin(partners, eq(partners.id, offers.partnerId)).where(eq(offers.id, id));
  return row ? flatten(row) : undefined;
}

export async function offersWithStatus(db: Db, status: OfferStatus, partnerId?: string): Promise<CatalogOffer[]> {
  const rows = await db
    .select(catalogColumns)
    .from(offers)
    .innerJoin(partners, eq(partners.id, offers.partnerId))
    .where(and(eq(offers.status, status), partnerId ? eq(offers.partnerId, partnerId) : sql`true`));
  return rows.map(flatten);
}

/** What the shop shows a driver beside each offer: their price, whether they qualify and can afford it. */
export interface ShopView {
  grade: Grade;
  available: Decimal | null;
  benefits: BenefitTable;
}

/**
 * Drivers' grades (B until first graded, as everywhere), available points and the benefits of
 * the rating policy in force, for many drivers in one round trip: every catalog page asks for
 * them. In the order asked; a driver without a wallet has `available` null.
 */
export async function shopViewsOf(db: Db, driverIds: readonly string[]): Promise<ShopView[]> {
  const rows = await queryRows<{ policy: Parameters<typeof benefitTableOf>[0]; grade: Grade; available: string | null }>(
    db,
    // The policy in force is the same for every driver: it comes once, on the first row. Each
    // driver's rating and wallet are probed by key (LATERAL … LIMIT 1): joined plainly, the
    // planner hashed the whole accounts table for a handful of drivers.
    sql`select case when d.n = 1 then ${POLICY_IN_FORCE} end as policy, coalesce(r.grade, 'B') as grade, a.available
          from unnest(${uuidArray(driverIds)}) with ordinality as d(id, n)
          left join lateral (select grade from driver_ratings where driver_id = d.id limit 1) r on true
          left join lateral (select (posted - debits_pending)::text as available from ledger_accounts
                              where kind = 'driver_wallet' and owner_id = d.id limit 1) a on true
         order by d.n`,
  );
  // One policy in force for the whole batch: its table is read once.
  const benefits = rows.length > 0 ? benefitTableOf(rows[0]!.policy) : null;
  return rows.map((row) => ({ grade: row.grade, available: row.available === null ? null : new Decimal(row.available), benefits: benefits! }));
}

/**
 * One driver's shop view. Drivers asking at the same moment share a round trip: while one
 * query is out, the views asked for meanwhile queue, and the next query takes them all
 * (`GroupCommit`, as the ledger's writes do).
 */
export function shopViewOf(db: Db, driverId: string): Promise<ShopView> {
  let group = viewLoads.get(db);
  if (!group) {
    const one = async (id: string) => (await shopViewsOf(db, [id]))[0]!;
    viewLoads.set(db, (group = new GroupCommit({ many: (ids) => shopViewsOf(db, ids), one }, { maxBatch: 500, maxWaitMs: 0 })));
  }
  return group.submit(driverId);
}
const viewLoads = new WeakMap<Db, GroupCommit<string, ShopView>>();

/**
 * Drivers' shop views, kept for a few seconds: a driver paging and filtering through the shop asks
 * for the same grade and points on every request. A redeem or cancel through this process forgets
 * that driver's view at once; any other change (points earned, a new grade, a redeem through
 * another process) shows within `ttlMs`, 10 s by default. The view only prices and flags offers
 * for display, so the worst a stale one does is show an offer as affordable a few seconds too
 * long (the redeem is then refused as insufficient-funds) or not yet: redeem reads the grade and
 * the balance afresh, under the wallet's lock.
 *
 * A view read before a `forget` (a catalog page loading while the driver's redeem commits) is
 * still answered to its caller but not kept.
 */
export class ShopViewCache {
  #views = new Map<string, { until: number; view: ShopView }>();
  /** Per driver, the `#forgets` count at their last forget (bounded like the views). */
  #forgotten = new Map<string, number>();
  #forgets = 0;
  constructor(
    private readonly ttlMs = 10_000,
    private readonly load: (db: Db, driverId: string) => Promise<ShopView> = shopViewOf,
    private readonly maxDrivers = 20_000,
  ) {}

  /** The driver's kept view while it is fresh, without loading one. */
  peek(driverId: string): ShopView | undefined {
    const kept = this.#views.get(driverId);
    return kept && performance.now() < kept.until ? kept.view : undefined;
  }

  async get(db: Db, driverId: string): Promise<ShopView> {
    const kept = this.peek(driverId);
    if (kept) return kept;
    const started = this.#forgets;
    const view = await this.load(db, driverId);
    if ((this.#forgotten.get(driverId) ?? -1) >= started) return view;
    // Kept for between half and all of ttlMs, so that drivers who arrived together do not all
    // expire together and queue for the pool at once.
    remember(this.#views, driverId, { until: performance.now() + this.ttlMs * (0.5 + Math.random() / 2), view }, this.maxDrivers);
    return view;
  }

  forget(driverId: string): void {
    this.#views.delete(driverId);
    remember(this.#forgotten, driverId, this.#forgets++, this.maxDrivers);
  }
}

/** Sets `key` as the newest entry of `map`, dropping the oldest beyond `max` (a Map keeps insertion order). */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/** Open for redemption at `now`: active, within its window, from an active partner. */
export function isOpen(offer: CatalogOffer, now: Date): boolean {
  return (
    offer.status === 'active' &&
    offer.partnerStatus === 'active' &&
    (!offer.validFrom || offer.validFrom <= now) &&
    (!offer.validTo || offer.validTo > now)
  );
}

const sameValue = (x: unknown, y: unknown) =>
  x === y || (x instanceof Date && y instanceof Date && x.getTime() === y.getTime()) || (Decimal.isDecimal(x) && Decimal.isDecimal(y) && x.eq(y));

/** The same offers with the same values, in the same order. */
function sameOffers(a: readonly CatalogOffer[], b: readonly CatalogOffer[]): boolean {
  return (
    a.length === b.length &&
    a.every((offer, i) => {
      const other = b[i] as unknown as Record<string, unknown>;
      const keys = Object.keys(offer);
      return keys.length === Object.keys(other).length && keys.every((k) => sameValue((offer as unknown as Record<string, unknown>)[k], other[k]));
    })
  );
}

/**
 * The active catalog, cached per database for a moment: every driver browsing hits memory, not
 * PostgreSQL. Changes made through this process invalidate it at once; other processes' changes
 * show within `ttlMs` (stock shown may lag by as much; redeem always checks the row itself).
 *
 * A load that was already running when the catalog changed may have read the old rows: it still
 * answers the callers that were waiting for it, but it is not kept, and callers after the change
 * start a new load. A reload that finds exactly the offers it had keeps the list object it had,
 * so what was made from that list (offer texts, drivers' kept pages) stays good.
 */
export class CatalogCache {
  #entry: { at: number; offers: CatalogOffer[] } | null = null;
  #loading: Promise<CatalogOffer[]> | null = null;
  #generation = 0;
  constructor(
    private readonly ttlMs = 2_000,
    private readonly load: (db: Db) => Promise<CatalogOffer[]> = (db) => offersWithStatus(db, 'active'),
  ) {}

  invalidate(): void {
    this.#generation++;
    this.#entry = null;
    this.#loading = null;
  }

  /** The cached list while it is fresh, without loading one. */
  peek(): CatalogOffer[] | undefined {
    return this.#entry && Date.now() - this.#entry.at < this.ttlMs ? this.#entry.offers : undefined;
  }

  async activeOffers(db: Db): Promise<CatalogOffer[]> {
    const fresh = this.peek();
    if (fresh) return fresh;
    if (!this.#loading) {
      const generation = this.#generation;
      const startedAt = Date.now();
      const loading: Promise<CatalogOffer[]> = this.load(db)
        .then((loaded) => {
          // An unchanged catalog keeps its list object, and with it every page made from it.
          const previous = this.#entry?.offers;
          const list = previous && sameOffers(previous, loaded) ? previous : loaded;
          if (generation === this.#generation) this.#entry = { at: startedAt, offers: list };
          return list;
        })
        .finally(() => {
          if (this.#loading === loading) this.#loading = null;
        });
      this.#loading = loading;
    }
    return this.#loading;
  }
}

/**
 * When the open part of `list` next changes after `now`: the earliest validity window of its
 * offers that opens or closes later than `now` (Infinity if none does).
 */
function nextWindowEdge(list: readonly CatalogOffer[], now: Date): number {
  const at = now.getTime();
  let edge = Infinity;
  for (const o of list) {
    for (const d of [o.validFrom, o.validTo]) {
      const t = d?.getTime();
      if (t !== undefined && t > at && t < edge) edge = t;
    }
  }
  return edge;
}

interface CatalogPage {
  view: ShopView;
  list: readonly CatalogOffer[];
  query: string;
  /** The app clock's time (ms) from which the page may read differently: a window opens or closes. */
  until: number;
  body: string;
}

/**
 * The last catalog page each driver was answered, as the text sent, with what it was made of: the
 * driver's shop view and the cached catalog list (objects that a reload, a change or a forget
 * replaces) and the query string as the driver sent it. The same query again, while that view and
 * that list are still the current ones and no offer's window has opened or closed, gets the same
 * text back before the query is even parsed, which is most of a catalog read's own work. Anything
 * else (another query, a redeem, a new list, a new view) makes a new page. Kept for the
 * `maxDrivers` who read most recently.
 */
export class CatalogPages {
  #pages = new Map<string, CatalogPage>();
  constructor(private readonly maxDrivers = 2_000) {}

  find(driverId: string, view: ShopView | undefined, list: readonly CatalogOffer[] | undefined, query: string, now: Date): string | undefined {
    const page = this.#pages.get(driverId);
    if (!page || page.view !== view || page.list !== list || page.query !== query || now.getTime() >= page.until) return undefined;
    return page.body;
  }

  keep(driverId: string, page: Omit<CatalogPage, 'until'>, now: Date): void {
    remember(this.#pages, driverId, { ...page, until: nextWindowEdge(page.list, now) }, this.maxDrivers);
  }
}

export interface CatalogFilter {
  category?: string;
  partnerId?: string;
  region?: string;
  q?: string;
  sort?: 'price_asc' | 'price_desc' | 'newest';
}

export function filterAndSort(list: CatalogOffer[], filter: CatalogFilter): CatalogOffer[] {
  const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const matches = list.filter(
    (o) =>
      (!filter.category || o.category === filter.category) &&
      (!filter.partnerId || o.partnerId === filter.partnerId) &&
      (!filter.region || o.partnerRegion.toLowerCase() === filter.region.toLowerCase()) &&
      words.every((w) => `${o.title} ${o.description} ${o.faceValue} ${o.partnerName}`.toLowerCase().includes(w)),
  );
  const byNewest = (a: CatalogOffer, b: CatalogOffer) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id);
  const sort = filter.sort ?? 'newest';
  return matches.sort((a, b) => {
    if (sort === 'newest') return byNewest(a, b);
    const byPrice = a.price.comparedTo(b.price) * (sort === 'price_asc' ? 1 : -1);
    return byPrice || a.id.localeCompare(b.id);
  });
}

