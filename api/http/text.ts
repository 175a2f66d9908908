/**
 * Text PostgreSQL cannot store: NUL anywhere, and UTF-16 surrogates without their pair (text
 * columns mangle them, jsonb refuses them). Schemas for free text refuse both up front, so the
 * client gets a field error instead of a database failure.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

export const unstorableTextMessage = 'text may not contain NUL (\\u0000) characters or unpaired surrogates';

/** A string schema that also refuses unstorable text. */
export function storableText<T extends import('@hono/zod-openapi').z.ZodString>(schema: T) {
  return schema.refine(isStorableText, unstorableTextMessage);
}
