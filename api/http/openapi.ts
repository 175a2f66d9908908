import { OpenAPIHono, z } from '@hono/zod-openapi';
import { AppError, problemCodes, type FieldError } from '../errors';
import type { AppEnv } from './env';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://milepost.dev/problems/validation-failed' }),
    title: z.string().openapi({ example: 'The request is not valid' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: 'password: a password has at least 10 characters' }),
    instance: z.string().optional().openapi({ example: '/api/auth/register' }),
    code: z.enum(problemCodes as [string, ...string[]]).openapi({ example: 'validation_failed' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Field errors, for validation problems' }),
  })
  .openapi('Problem');

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

const statusDescriptions: Record<number, string> = {
  400: 'Invalid request (problem+json with field errors)',
  401: 'Not signed in, or the session expired',
  403: 'Signed in, but not allowed (role or CSRF)',
  404: 'Not found',
  409: 'Conflict with the current state (idempotency key reuse, duplicate)',
  413: 'Request body too large',
  422: 'Valid request that cannot be carried out (business rule)',
  429: 'Too many attempts; see Retry-After',
  503: 'A dependency (the database) is unavailable',
};

/** Named problem responses for a route's `responses`; 400 is always included. */
export function problems(...statuses: Array<401 | 403 | 404 | 409 | 413 | 422 | 429 | 503>) {
  const all = [400, ...statuses] as const;
  return Object.fromEntries(
    all.map((s) => [s, { description: statusDescriptions[s] ?? 'Problem', content: problemContent }]),
  ) as Record<(typeof all)[number], { description: string; content: typeof problemContent }>;
}

/** Either a bearer token or the session cookie signs a request in. */
export const signedIn: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** Responses every authenticated route may return. */
export const authProblems = problems(401, 403);

export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, description, content: { 'application/json': { schema } } };
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

function zodIssuesToFields(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldError[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}

/** A router whose validation failures become the same problem+json as every other error. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const fields = zodIssuesToFields(result.error.issues);
        throw new AppError(
          'validation_failed',
          fields.map((f) => `${f.path}: ${f.message}`).join('; '),
          { fields },
        );
      }
    },
  });
}

export type Router = ReturnType<typeof createRouter>;
