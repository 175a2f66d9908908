import { z } from '@hono/zod-openapi';
import { storableText } from '../http/text';
import { Points } from '../ledger/ledger.schemas';

export const AwardBody = z
  .object({
    driverId: z.string().uuid('driverId is a UUID').openapi({ description: 'The driver to award', example: '0b9d7a52-3c1e-4f7a-9d2b-6e5f4a3b2c1d' }),
    points: Points.refine((p) => !/^0+(\.0+)?$/.test(p), 'an award must be more than 0 points').openapi({
      description: 'Points to grant: above zero and at most the programme maximum (GET /api/programme-settings, `awards.maxPoints`)',
      example: '50.00',
    }),
    reason: storableText(z.string().trim().min(3, 'say why (at least 3 characters)').max(300, 'at most 300 characters')).openapi({
      description: 'Why the driver is awarded; shown on their statement and kept in the audit log',
      example: 'Helped clear a multi-vehicle accident on the G4 at night',
    }),
  })
  .openapi('AwardBody');

export const Award = z
  .object({
    earningId: z.string().uuid().openapi({ description: 'The earnings entry recording the award' }),
    transferId: z.string().uuid().openapi({ description: 'The ledger transfer issuance → wallet' }),
    driverId: z.string().uuid(),
    points: Points,
    reason: z.string(),
    awardedBy: z.string().uuid().nullable().openapi({ description: 'The committee member who granted it' }),
    createdAt: z.string().datetime(),
    replayed: z.boolean().openapi({ description: 'True when this is the stored answer to an earlier call with the same Idempotency-Key' }),
  })
  .openapi('Award');
