import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Db } from '../../db/client';
import type { Role } from '../auth/auth.schemas';
import type { Logger } from '../ops/log';

export interface SessionUser {
  id: string;
  role: Role;
  name: string;
  phone: string;
  partnerId: string | null;
}

export interface Deps {
  db: Db;
  config: Config;
  clock: Clock;
}

/** What every handler can read from the typed context. */
export interface AppEnv {
  Variables: Deps & {
    requestId: string;
    /** Set by the session middleware when the request carries a valid session. */
    user: SessionUser | null;
    authVia: 'cookie' | 'bearer' | null;
    logger: Logger;
  };
}
