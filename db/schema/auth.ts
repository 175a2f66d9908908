import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { partners } from './partners';

/** `integration`: a machine account (e.g. the safety-records feed) that may only post safety events. */
export const userRoles = ['driver', 'partner_staff', 'committee', 'integration'] as const;

export const users = pgTable(
  'users',
  {
    id: id(),
    role: text('role', { enum: userRoles }).notNull(),
    phone: text('phone').notNull().unique(),
    name: text('name').notNull(),
    plateNumber: text('plate_number'),
    partnerId: uuid('partner_id').references(() => partners.id),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('users_role_check', sql`${t.role} in ('driver', 'partner_staff', 'committee', 'integration')`),
    // partner staff belong to exactly one partner; nobody else does
    check('users_partner_binding', sql`(${t.role} = 'partner_staff') = (${t.partnerId} is not null)`),
    check('users_driver_plate', sql`${t.role} <> 'driver' or ${t.plateNumber} is not null`),
  ],
);

/** Sessions are opaque random tokens; only their SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * Failed sign-in counters, per phone and per client address, in the database so that
 * several API processes share them.
 */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});
