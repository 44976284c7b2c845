import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's version (package.json sits two folders above the bundle and the sources alike). */
export function packageVersion(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}
