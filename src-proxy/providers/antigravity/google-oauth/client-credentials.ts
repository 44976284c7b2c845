// Which OAuth client a sign-in and a refresh use: the one in the settings, or else the one the shell
// found elsewhere (headless: SWITCHYARD_GOOGLE_CLIENT_ID and _SECRET). The id and its secret always
// come from the same place, so a settings id is never paired with another client's secret.

import type { GoogleSettings } from '../../../contract/index.js';

export interface GoogleClientCredentials {
  client_id?: string;
  client_secret?: string;
}

export function withClientFallback(settings: GoogleSettings, fallback: GoogleClientCredentials | undefined): GoogleSettings {
  if (settings.client_id !== '' || !fallback?.client_id?.trim()) return settings;
  return { ...settings, client_id: fallback.client_id.trim(), client_secret: fallback.client_secret?.trim() ?? '' };
}
