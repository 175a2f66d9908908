import type { z } from 'zod';

/**
 * The JSON shape of a server schema, as it travels. The web app imports the server's zod schemas
 * as types only (`import type * as market from '…/market.schemas'`), so the shapes are shared,
 * never hand-copied, and no zod reaches the bundle.
 */
export type Wire<Schema> = Schema extends z.ZodType ? z.output<Schema> : never;
