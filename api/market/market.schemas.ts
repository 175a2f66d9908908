import { z } from '@hono/zod-openapi';
import { grades, limitPeriods, offerCategories, offerStatuses, redemptionStatuses } from '../../db/schema/index';
import { storableText } from '../http/text';
import { Points } from '../ledger/ledger.schemas';

export const Category = z.enum(offerCategories).openapi({ example: 'repair' });
export const GradeSchema = z.enum(grades).openapi({ example: 'AA' });
const text = (max: number) => storableText(z.string().trim().max(max));

const OfferFields = z.object({
  category: Category,
  title: text(120).pipe(z.string().min(1, 'a title is required')).openapi({ example: 'Brake service' }),
  description: text(2000).optional().openapi({ example: 'Pads and discs checked, pads replaced if below 3 mm.' }),
  faceValue: text(120)
    .pipe(z.string().min(1, 'say what the driver gets'))
    .openapi({ description: 'What the driver gets, in words', example: '¥200 off brake service' }),
  price: Points.refine((p) => !/^0+(\.0+)?$/.test(p), 'a price must be above zero').openapi({ description: 'Points price before grade discounts' }),
  stock: z.number().int().min(0).max(1_000_000).openapi({ description: 'Vouchers available in total', example: 50 }),
  perDriverLimit: z.number().int().min(1).max(1000).openapi({ example: 1 }),
  limitPeriod: z.enum(limitPeriods).optional().openapi({ description: 'The period the per-driver limit counts over (default month)' }),
  validFrom: z.string().datetime({ offset: true }).nullable().optional(),
  validTo: z.string().datetime({ offset: true }).nullable().optional(),
  minGrade: GradeSchema.nullable().optional().openapi({ description: 'Lowest credit grade that may redeem' }),
});

export const CreateOfferBody = OfferFields.extend({
  partnerId: z.string().uuid().optional().openapi({ description: "Required for committee members; partner staff create for their own partner" }),
  submit: z.boolean().optional().openapi({ description: 'false keeps it as a draft; default submits it for approval' }),
}).openapi('CreateOfferBody');

export const UpdateOfferBody = OfferFields.partial()
  .extend({
    status: z.enum(['pending_approval', 'active', 'paused', 'retired']).optional().openapi({
      description: 'Submit a draft, pause or resume an approved offer, or retire it (approval is POST /offers/{id}/approve)',
    }),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change')
  .openapi('UpdateOfferBody');

export const Offer = z
  .object({
    id: z.string().uuid(),
    partner: z.object({ id: z.string().uuid(), name: z.string(), kind: z.string(), region: z.string() }),
    category: Category,
    title: z.string(),
    description: z.string(),
    faceValue: z.string(),
    price: Points,
    yourPrice: Points.openapi({ description: "The caller's price after their grade discount" }),
    qualifies: z.boolean().openapi({ description: "Whether the caller's grade meets the offer's minimum" }),
    affordable: z.boolean().nullable().openapi({ description: 'For drivers: whether their available points cover yourPrice' }),
    stockTotal: z.number().int(),
    stockLeft: z.number().int(),
    perDriverLimit: z.number().int(),
    limitPeriod: z.enum(limitPeriods),
    validFrom: z.string().datetime().nullable(),
    validTo: z.string().datetime().nullable(),
    minGrade: GradeSchema.nullable(),
    status: z.enum(offerStatuses),
    createdAt: z.string().datetime(),
  })
  .openapi('Offer');

export const OfferPage = z.object({ items: z.array(Offer), nextCursor: z.string().nullable() }).openapi('OfferPage');

const boolish = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const CatalogQuery = z.object({
  category: Category.optional(),
  partnerId: z.string().uuid().optional(),
  region: z.string().max(60).optional(),
  q: z.string().max(100).optional().openapi({ description: 'Words in the title, description, face value or partner name' }),
  affordable: boolish.openapi({ description: 'Only offers the signed-in driver can pay for now' }),
  status: z.enum(offerStatuses).optional().openapi({ description: 'Committee and partner staff only (default: active)' }),
  sort: z.enum(['price_asc', 'price_desc', 'newest']).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const RegionList = z
  .object({ items: z.array(z.string().openapi({ example: 'Baoan' })) })
  .openapi('OfferRegions');

export const IdParam = z.object({ id: z.string().uuid('an id is a UUID').openapi({ param: { name: 'id', in: 'path' } }) });

export const RedeemBody = z.object({ offerId: z.string().uuid() }).openapi('RedeemBody');

export const Redemption = z
  .object({
    id: z.string().uuid(),
    offerId: z.string().uuid(),
    offerTitle: z.string(),
    faceValue: z.string(),
    partner: z.object({ id: z.string().uuid(), name: z.string(), address: z.string().nullable() }),
    code: z.string().openapi({ description: 'Voucher code, shown as ABCDE-FGHJK', example: 'K7MQ2-XW9PR' }),
    qr: z.string().optional().openapi({ description: 'QR image (SVG data URL) encoding the code' }),
    price: Points,
    captured: Points.nullable(),
    status: z.enum(redemptionStatuses),
    expiresAt: z.string().datetime(),
    createdAt: z.string().datetime(),
    resolvedAt: z.string().datetime().nullable(),
    replayed: z.boolean().optional(),
  })
  .openapi('Redemption');

export const ConfirmBody = z
  .object({
    code: z.string().max(40).openapi({ example: 'K7MQ2-XW9PR' }),
    amount: Points.optional().openapi({ description: 'Capture less than the full price (the rest returns to the driver)' }),
  })
  .openapi('ConfirmBody');

export const Honour = z
  .object({
    id: z.string().uuid(),
    status: z.enum(redemptionStatuses),
    code: z.string(),
    offerTitle: z.string(),
    faceValue: z.string(),
    driverName: z.string(),
    plateNumber: z.string().nullable(),
    captured: Points.nullable(),
    price: Points,
    expiresAt: z.string().datetime().openapi({ description: 'When the voucher stops being valid' }),
  })
  .openapi('ConfirmedRedemption');

export const StatementQuery = z.object({
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  format: z.enum(['json', 'csv']).optional(),
});

export const PartnerStatement = z
  .object({
    partnerId: z.string().uuid(),
    from: z.string().datetime(),
    to: z.string().datetime(),
    total: Points,
    count: z.number().int(),
    lines: z.array(
      z.object({
        redemptionId: z.string().uuid(),
        confirmedAt: z.string().datetime(),
        code: z.string(),
        offerTitle: z.string(),
        driverName: z.string(),
        plateNumber: z.string().nullable(),
        points: Points,
        settled: z.boolean(),
      }),
    ),
  })
  .openapi('PartnerStatement');

export const SettlementBody = z
  .object({ from: z.string().datetime({ offset: true }), to: z.string().datetime({ offset: true }) })
  .refine((b) => Date.parse(b.from) < Date.parse(b.to), { message: '`from` must be before `to`', path: ['to'] })
  .openapi('SettlementBody');

export const Settlement = z
  .object({
    id: z.string().uuid(),
    partnerId: z.string().uuid(),
    from: z.string().datetime(),
    to: z.string().datetime(),
    amount: Points,
    redemptions: z.number().int(),
    transferId: z.string().uuid().nullable(),
    replayed: z.boolean(),
  })
  .openapi('Settlement');
