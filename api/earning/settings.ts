import { eq } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import type { Db } from '../../db/client';
import { programmeSettings } from '../../db/schema/index';
import { audit } from '../audit/audit';
import type { Clock } from '../clock';
import { AwardsSetting, ExpirySetting } from './settings.schemas';

/** Every programme setting: its key, its schema, and the value used when the row is missing. */
export const SETTINGS = {
  awards: { schema: AwardsSetting, fallback: { maxPoints: '500.00' } },
  expiry: { schema: ExpirySetting, fallback: { months: 24, noticeDays: 30 } },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]['schema']>;
export const settingKeys = Object.keys(SETTINGS) as SettingKey[];

export interface StoredSetting<K extends SettingKey> {
  value: SettingValue<K>;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/**
 * A setting as stored. A row the schema no longer accepts (hand-edited, older shape) is a bug
 * worth seeing, so it throws rather than silently falling back.
 */
export async function readSetting<K extends SettingKey>(db: Db, key: K): Promise<StoredSetting<K>> {
  const [row] = await db.select().from(programmeSettings).where(eq(programmeSettings.key, key));
  if (!row) return { value: SETTINGS[key].fallback as SettingValue<K>, updatedAt: null, updatedBy: null };
  return { value: SETTINGS[key].schema.parse(row.value) as SettingValue<K>, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}

export async function getSetting<K extends SettingKey>(db: Db, key: K): Promise<SettingValue<K>> {
  return (await readSetting(db, key)).value;
}

/**
 * Replaces a setting (already validated by its schema) and audits the change with the value
 * before and after, in one transaction. The row is locked so two changes at once audit a true
 * before/after chain.
 */
export async function putSetting<K extends SettingKey>(db: Db, clock: Clock, actorId: string, key: K, value: SettingValue<K>) {
  const parsed = SETTINGS[key].schema.parse(value) as SettingValue<K>;
  return db.transaction(async (tx) => {
    const now = clock.now();
    const [prior] = await tx.select().from(programmeSettings).where(eq(programmeSettings.key, key)).for('update');
    await tx
      .insert(programmeSettings)
      .values({ key, value: parsed, updatedBy: actorId, updatedAt: now })
      .onConflictDoUpdate({ target: programmeSettings.key, set: { value: parsed, updatedBy: actorId, updatedAt: now } });
    await audit(tx, {
      actorId,
      action: 'programme.settings.update',
      targetType: 'programme_setting',
      targetId: key,
      before: prior?.value ?? null,
      after: parsed,
      at: now,
    });
    return { value: parsed, updatedAt: now, updatedBy: actorId } satisfies StoredSetting<K>;
  });
}
