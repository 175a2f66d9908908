import { pgTable, text, index } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';

export const partnerKinds = ['garage', 'training_school', 'inspection_station'] as const;
export type PartnerKind = (typeof partnerKinds)[number];

/** A garage, training school or inspection station that honours vouchers. */
export const partners = pgTable(
  'partners',
  {
    id: id(),
    name: text('name').notNull(),
    kind: text('kind', { enum: partnerKinds }).notNull(),
    region: text('region').notNull(),
    address: text('address'),
    contact: text('contact'),
    status: text('status', { enum: ['active', 'suspended'] }).notNull().default('active'),
    createdAt: createdAt(),
  },
  (t) => [index('partners_region_idx').on(t.region)],
);
