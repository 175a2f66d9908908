import { pino, stdTimeFunctions, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { Config } from '../config';

export type Logger = PinoLogger;
export type LogLevel = Config['logLevel'];

/**
 * Keys that must never reach a log line. No call site logs headers or bodies; this is the second
 * guard, in case one ever does.
 */
const SECRET_KEYS = ['password', 'token', 'authorization', 'cookie', 'csrfToken', 'set-cookie'];

/**
 * One JSON object per line on stdout (or `destination`):
 * `{"level":"info","time":"2026-…Z","pid":1,"msg":"…",…}`. The level is a word, not pino's number,
 * so `grep '"level":"error"'` works.
 */
export function createLogger({ level = 'info', destination }: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_KEYS.flatMap((k) => [`["${k}"]`, `*["${k}"]`]), censor: '[redacted]' },
    },
    destination,
  );
}

/**
 * The logger for code that runs outside a request (jobs, hooks). The server entry replaces it
 * with one at LOG_LEVEL; anything else that embeds the app (tests, benchmarks, scripts) gets
 * warnings and errors only.
 */
let processLog: Logger = createLogger({ level: 'warn' });

export function processLogger(): Logger {
  return processLog;
}

export function useProcessLogger(logger: Logger): void {
  processLog = logger;
}

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);

/** For call sites that build a line as a record, `{ level, msg, ...fields }`. */
export function writeLine({ level, msg, ...fields }: Record<string, unknown>): void {
  const at = typeof level === 'string' && LEVELS.has(level) ? (level as Exclude<LogLevel, 'silent'>) : 'info';
  processLog[at](fields, typeof msg === 'string' ? msg : '');
}
