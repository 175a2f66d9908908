import { z } from '@hono/zod-openapi';
import { isStorableText, unstorableTextMessage } from '../http/text';

export const roles = ['driver', 'partner_staff', 'committee', 'integration'] as const;
export const Role = z.enum(roles).openapi({ description: 'What the user may do', example: 'driver' });
export type Role = z.infer<typeof Role>;

/** Mainland mobile numbers, and room for test/integration numbers: 6–20 digits, optional leading +. */
export const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{6,20}$/, 'a phone number is 6–20 digits, optionally starting with +')
  .openapi({ description: 'Phone number, the sign-in name', example: '13800000002' });

export const Password = z
  .string()
  .min(10, 'a password has at least 10 characters')
  .max(200, 'a password has at most 200 characters')
  .openapi({ description: 'At least 10 characters', example: 'correct-horse-battery' });

const Name = z
  .string()
  .trim()
  .min(1, 'a name is required')
  .max(100)
  .refine(isStorableText, unstorableTextMessage)
  .openapi({ example: '王师傅' });

export const RegisterBody = z
  .object({
    phone: Phone,
    name: Name,
    plateNumber: z
      .string()
      .trim()
      .min(2, 'a plate number is required')
      .max(20)
      .refine(isStorableText, unstorableTextMessage)
      .openapi({ description: 'Vehicle plate number', example: '粤B·12345' }),
    password: Password,
  })
  .openapi('RegisterBody');
export type RegisterBody = z.infer<typeof RegisterBody>;

export const UserRef = z
  .object({
    id: z.string().uuid().openapi({ example: '7b1f0e0c-3a8e-4d7c-9a51-1a2b3c4d5e6f' }),
    role: Role,
  })
  .openapi('UserRef');

export const RegisterResponse = z.object({ user: UserRef }).openapi('RegisterResponse');
export type RegisterResponse = z.infer<typeof RegisterResponse>;

export const LoginBody = z
  .object({
    phone: Phone,
    password: z.string().min(1, 'a password is required').max(200),
  })
  .openapi('LoginBody');
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginResponse = z
  .object({
    token: z.string().openapi({
      description: 'Opaque session token; send as `Authorization: Bearer <token>` from non-browser clients',
    }),
    expiresAt: z.string().datetime().openapi({ example: '2026-12-22T10:00:00.000Z' }),
    user: UserRef.extend({ name: Name }),
  })
  .openapi('LoginResponse');
export type LoginResponse = z.infer<typeof LoginResponse>;

export const Me = z
  .object({
    id: z.string().uuid(),
    role: Role,
    name: Name,
    phone: Phone,
    plateNumber: z.string().nullable().openapi({ description: 'Drivers only' }),
    partnerId: z.string().uuid().nullable().openapi({ description: 'Partner staff only' }),
  })
  .openapi('Me');
export type Me = z.infer<typeof Me>;

export const CreateStaffBody = z
  .object({ phone: Phone, name: Name, password: Password })
  .openapi('CreateStaffBody');

export const CreateCommitteeBody = CreateStaffBody.openapi('CreateCommitteeBody');
