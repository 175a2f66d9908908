import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Password, Phone, Role } from '../auth/auth.schemas';
import { createUser } from '../auth/auth.service';
import { ConfigError, parseConfig } from '../config';
import { AppError } from '../errors';
import { openDatabase } from '../server';

const usage =
  'usage: npm run user:create -- --role committee|driver|partner_staff|integration --phone P --name N --password W ' +
  '[--plate PLATE (drivers)] [--partner PARTNER_ID (partner staff)]';

const Args = z
  .object({
    role: Role,
    phone: Phone,
    name: z.string().trim().min(1, 'a name is required'),
    password: Password,
    plate: z.string().trim().min(2).optional(),
    partner: z.string().uuid('--partner is a partner id (UUID)').optional(),
  })
  .refine((a) => a.role !== 'driver' || a.plate, { message: 'a driver needs --plate', path: ['plate'] })
  .refine((a) => (a.role === 'partner_staff') === Boolean(a.partner), {
    message: '--partner is required for partner_staff and only for them',
    path: ['partner'],
  });

async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      phone: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      plate: { type: 'string' },
      partner: { type: 'string' },
    },
  });
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
    console.error(usage);
    process.exit(2);
  }
  const args = parsed.data;
  const handle = await openDatabase(parseConfig(process.env));
  try {
    const user = await createUser(handle.db, {
      role: args.role,
      phone: args.phone,
      name: args.name,
      password: args.password,
      plateNumber: args.plate ?? null,
      partnerId: args.partner ?? null,
    });
    console.log(`created ${user.role} ${args.name} (${args.phone}), id ${user.id}`);
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  if (error instanceof AppError || error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
