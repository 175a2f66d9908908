import type { Db } from '../../db/client';
import { auditLog } from '../../db/schema/index';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  at: Date;
}

/** Records one committee action. Call it inside the same transaction as the action. */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    before: entry.before === undefined ? null : toJson(entry.before),
    after: entry.after === undefined ? null : toJson(entry.after),
    createdAt: entry.at,
  });
}

/** Decimals and dates become strings; nothing secret should ever be passed in. */
function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
