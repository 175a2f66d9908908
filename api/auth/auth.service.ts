import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { loginThrottle, users } from '../../db/schema/index';
import type { Config } from '../config';
import { AppError } from '../errors';
import { openAccount } from '../ledger/accounts';
import type { RegisterBody, Role } from './auth.schemas';
import { decoyHash, hashPassword, verifyPassword } from './passwords';
import { createSession, type NewSession } from './sessions';


export interface NewUser {
  role: Role;
  phone: string;
  name: string;
  password: string;
  plateNumber?: string | null;
  partnerId?: string | null;
}

/** Creates a user; a driver gets their wallet in the same transaction. */
export async function createUser(db: Db, input: NewUser): Promise<{ id: string; role: Role }> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          role: input.role,
          phone: input.phone,
          name: input.name,
          plateNumber: input.plateNumber ?? null,
          partnerId: input.partnerId ?? null,
          passwordHash,
        })
        .returning({ id: users.id, role: users.role });
      if (!user) throw new Error('insert returned no row');
      if (user.role === 'driver') await openAccount(tx, { kind: 'driver_wallet', ownerId: user.id });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('phone_taken', `${input.phone} already has an account; sign in instead`);
    throw error;
  }
}

export function registerDriver(db: Db, body: RegisterBody) {
  return createUser(db, { role: 'driver', ...body });
}

interface LoginInput {
  phone: string;
  password: string;
  ip: string;
}

/**
 * Checks the password under per-phone and per-address throttles kept in the database, so every
 * server process sees the same counts. A locked key answers 429 without checking the password.
 * Each attempt is counted as a failure before the password is checked (and forgiven if it was
 * right), so guesses sent at once cannot all be checked before the first failure is written.
 */
export async function login(db: Db, config: Config, now: Date, input: LoginInput) {
  const keys = [
    { key: `phone:${input.phone}`, max: config.login.maxFailuresPerPhone },
    { key: `ip:${input.ip}`, max: config.login.maxFailuresPerIp },
  ];
  for (const { key } of keys) {
    const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
    if (row?.lockedUntil && row.lockedUntil > now) throw rateLimited(row.lockedUntil, now);
  }
  const windowMs = config.login.windowMinutes * 60_000;
  for (const { key, max } of keys) {
    const counted = await recordFailure(db, key, max, now, windowMs);
    if (counted.failures > max && counted.lockedUntil) throw rateLimited(counted.lockedUntil, now);
  }

  const [user] = await db.select().from(users).where(eq(users.phone, input.phone));
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyPassword(await decoyHash(), input.password);
  if (!user || !ok) throw new AppError('invalid_credentials', 'the phone number or password is wrong');

  await db.delete(loginThrottle).where(eq(loginThrottle.key, keys[0]!.key));
  await forgiveFailure(db, keys[1]!.key, keys[1]!.max);
  const session: NewSession = await createSession(db, user.id, now, config.session.ttlHours);
  return { session, user: { id: user.id, role: user.role, name: user.name } };
}

function rateLimited(lockedUntil: Date, now: Date) {
  const seconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  return new AppError('rate_limited', `too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} minutes`, {
    headers: { 'Retry-After': String(seconds) },
  });
}

/** One more failure in the key's window; reaching `max` locks the key for one window. Returns the new count and lock. */
async function recordFailure(db: Db, key: string, max: number, now: Date, windowMs: number) {
  const at = sql`${now.toISOString()}::timestamptz`;
  const windowStart = sql`${new Date(now.getTime() - windowMs).toISOString()}::timestamptz`;
  const lockUntil = new Date(now.getTime() + windowMs);
  const [counted] = await db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: max <= 1 ? lockUntil : null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then 1 else ${loginThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then ${at} else ${loginThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when (case when ${loginThrottle.windowStartedAt} < ${windowStart} then 1 else ${loginThrottle.failures} + 1 end) >= ${max} then ${lockUntil.toISOString()}::timestamptz else null end`,
      },
    })
    .returning({ failures: loginThrottle.failures, lockedUntil: loginThrottle.lockedUntil });
  if (!counted) throw new Error('login throttle upsert returned no row');
  return counted;
}

/** Takes back the failure a right password was counted as, and the lock it may have set. */
async function forgiveFailure(db: Db, key: string, max: number) {
  await db
    .update(loginThrottle)
    .set({
      failures: sql`greatest(${loginThrottle.failures} - 1, 0)`,
      lockedUntil: sql`case when ${loginThrottle.failures} - 1 >= ${max} then ${loginThrottle.lockedUntil} else null end`,
    })
    .where(eq(loginThrottle.key, key));
}
