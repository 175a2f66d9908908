/** PostgreSQL error codes, whichever driver raised them (drizzle wraps them in `cause`). */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

function constraintName(error: unknown): string {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const err = e as { constraint_name?: unknown; constraint?: unknown };
    const name = err.constraint_name ?? err.constraint;
    if (typeof name === 'string') return name;
  }
  return '';
}

/** A unique violation, optionally on a constraint whose name contains `constraint`. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return sqlState(error) === '23505' && (!constraint || constraintName(error).includes(constraint));
}
