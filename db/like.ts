/** `s` as a literal inside a LIKE pattern: %, _ and the escape character mean themselves. */
export const likeEscaped = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
