import { hash, verify, type Options } from '@node-rs/argon2';

// OWASP's argon2id floor: 19 MiB, 2 iterations, 1 lane.
// (`Algorithm` is a const enum the bindings don't export at run time: 2 is Argon2id.)
const options: Options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password, options);
}

/** Verified against when the phone is unknown, so a miss costs as long as a wrong password. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('decoy-password-never-matches');
  return decoy;
}
