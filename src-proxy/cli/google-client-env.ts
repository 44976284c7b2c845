// Headless mode may take the Google OAuth client from the environment instead of the settings (a
// secret kept out of files, a container's configuration). Read here, by the command line, and handed
// to the core; the core itself never looks at the environment.

import type { GoogleClientCredentials } from '../providers/antigravity/google-oauth/client-credentials.js';

export const GOOGLE_CLIENT_ID_ENV = 'SWITCHYARD_GOOGLE_CLIENT_ID';
export const GOOGLE_CLIENT_SECRET_ENV = 'SWITCHYARD_GOOGLE_CLIENT_SECRET';

export function googleClientFromEnv(env: NodeJS.ProcessEnv): GoogleClientCredentials | undefined {
  const clientId = env[GOOGLE_CLIENT_ID_ENV]?.trim();
  if (!clientId) return undefined;
  return { client_id: clientId, client_secret: env[GOOGLE_CLIENT_SECRET_ENV]?.trim() ?? '' };
}
