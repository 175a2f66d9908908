import { z } from '@hono/zod-openapi';
import { Points } from '../ledger/ledger.schemas';

/** `awards`: the most points one instant award may grant. */
export const AwardsSetting = z
  .object({
    maxPoints: Points.refine((p) => !/^0+(\.0+)?$/.test(p), 'the maximum must be above zero').openapi({
      description: 'The most points one instant award may grant',
      example: '500.00',
    }),
  })
  .strict()
  .openapi('AwardsSetting');

/** `expiry`: how long earned points last, and how early drivers are warned. */
export const ExpirySetting = z
  .object({
    months: z
      .number()
      .int('months is a whole number')
      .min(1, 'points must last at least 1 month (use null to switch expiry off)')
      .max(240, 'at most 240 months')
      .nullable()
      .openapi({ description: 'Points expire this many months after they were earned, oldest first; null switches expiry off', example: 24 }),
    noticeDays: z
      .number()
      .int('noticeDays is a whole number')
      .min(1, 'warn at least 1 day ahead')
      .max(365, 'at most 365 days ahead')
      .openapi({ description: 'Drivers get an inbox notice this many days before points expire', example: 30 }),
  })
  .strict()
  .openapi('ExpirySetting');

export type AwardsSettingValue = z.infer<typeof AwardsSetting>;
export type ExpirySettingValue = z.infer<typeof ExpirySetting>;

export const ProgrammeSettings = z
  .object({
    awards: AwardsSetting,
    expiry: ExpirySetting,
    updatedAt: z.object({ awards: z.string().datetime().nullable(), expiry: z.string().datetime().nullable() }).openapi({
      description: 'When each setting was last changed (null: never changed since installation)',
    }),
  })
  .openapi('ProgrammeSettings');
