// Secrets on their way into the shared store are sealed: AES-256-GCM under a key derived by scrypt from
// the team secret and a salt the store keeps. The team secret itself never reaches the store. Each value
// is bound to where it belongs (its additional data), so a sealed key cannot be moved to another account.

import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SALT_BYTES = 16;
/** A short team secret is a guessable one; the store may be read by more people than the secret is. */
export const MIN_TEAM_SECRET_LENGTH = 16;

export class TeamKey {
  private constructor(
    private readonly key: Buffer,
    /** What the key was derived with, to write the team back into a store that lost it. */
    readonly salt: Buffer,
    /** The team's check value, sealed under this key. */
    readonly check: string = '',
  ) {}

  static async derive(teamSecret: string, salt: Buffer): Promise<TeamKey> {
    const key = await new Promise<Buffer>((resolve, reject) =>
      scrypt(teamSecret, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (err, k) => (err ? reject(err) : resolve(k))),
    );
    return new TeamKey(key, salt);
  }

  withCheck(check: string): TeamKey {
    return new TeamKey(this.key, this.salt, check);
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${FORMAT}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** Throws when the value was sealed under another key or for another place, or was altered. */
  open(sealed: string, context: string): string {
    if (!sealed.startsWith(`${FORMAT}.`)) throw new Error('not a sealed value');
    const raw = Buffer.from(sealed.slice(FORMAT.length + 1), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}
