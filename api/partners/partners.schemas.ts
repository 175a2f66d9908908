import { z } from '@hono/zod-openapi';
import { partnerKinds } from '../../db/schema/index';
import { isStorableText, unstorableTextMessage } from '../http/text';

/** Free text that the database can store. */
const Text = (min: number, max: number) => z.string().trim().min(min).max(max).refine(isStorableText, unstorableTextMessage);

export const PartnerKind = z.enum(partnerKinds).openapi({ example: 'garage' });

export const CreatePartnerBody = z
  .object({
    name: Text(1, 120).openapi({ example: '顺达汽修 Shunda Garage' }),
    kind: PartnerKind,
    region: Text(1, 60).openapi({ example: 'Baoan' }),
    address: Text(0, 200).optional().openapi({ example: '12 Harbour Road' }),
    contact: Text(0, 60).optional().openapi({ example: '0755-1234567' }),
  })
  .openapi('CreatePartnerBody');

export const Partner = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    kind: PartnerKind,
    region: z.string(),
    address: z.string().nullable(),
    contact: z.string().nullable(),
    status: z.enum(['active', 'suspended']),
    settlementAccountId: z.string().uuid().nullable(),
  })
  .openapi('Partner');

export const PartnerIdParam = z.object({
  id: z.string().uuid('a partner id is a UUID').openapi({ param: { name: 'id', in: 'path' }, example: '7b1f0e0c-3a8e-4d7c-9a51-1a2b3c4d5e6f' }),
});
