import { z } from 'zod';

const Bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Everything the server reads from the environment, parsed once at the entry point. */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SEED: z.enum(['demo', 'none']).default('demo'),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
  COOKIE_SECURE: Bool.default(false),
  LOGIN_MAX_FAILURES_PER_PHONE: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  TRUST_PROXY: Bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
});

export type Env = z.infer<typeof ConfigSchema>;

export interface Config {
  port: number;
  host: string;
  database: { url: string } | { dataDir: string };
  seed: 'demo' | 'none';
  session: { ttlHours: number; cookieSecure: boolean };
  login: { maxFailuresPerPhone: number; maxFailuresPerIp: number; windowMinutes: number };
  maxBodyBytes: number;
  trustProxy: boolean;
  logLevel: Env['LOG_LEVEL'];
  /** When set, GET /metrics wants `authorization: Bearer <token>`; otherwise it is open. */
  metricsToken: string | null;
  /** Server processes sharing the port (node:cluster); more than one needs PostgreSQL. */
  workers: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.WORKERS > 1 && !e.DATABASE_URL) {
    throw new ConfigError('invalid configuration:\n  WORKERS: more than one server process needs DATABASE_URL (PGlite is one process\'s own database)');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL ? { url: e.DATABASE_URL } : { dataDir: e.DATA_DIR },
    seed: e.SEED,
    session: { ttlHours: e.SESSION_TTL_HOURS, cookieSecure: e.COOKIE_SECURE },
    login: {
      maxFailuresPerPhone: e.LOGIN_MAX_FAILURES_PER_PHONE,
      maxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      windowMinutes: e.LOGIN_WINDOW_MINUTES,
    },
    maxBodyBytes: e.MAX_BODY_BYTES,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN ?? null,
    workers: e.WORKERS,
  };
}

/** Defaults for tests and scripts. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...parseConfig({}), ...overrides };
}
