import Decimal from 'decimal.js';
import { customType, timestamp, uuid } from 'drizzle-orm/pg-core';

// numeric(20,2) holds 20 significant digits and sums of them more: never round an amount.
Decimal.set({ precision: 64 });

/**
 * A point amount: `numeric(20,2)` in SQL, `Decimal` in TypeScript, a decimal string on the wire.
 * Both drivers hand numeric back as text, so no float ever touches an amount.
 */
export const points = customType<{ data: Decimal; driverData: string }>({
  dataType: () => 'numeric(20,2)',
  toDriver: (value) => value.toFixed(2),
  fromDriver: (value) => new Decimal(String(value)),
});

export const id = () => uuid('id').primaryKey().defaultRandom();

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
