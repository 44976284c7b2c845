// electron-builder.yml read by electron-builder's own loader, and its own validator; app-builder-lib
// exports them only from these modules.

import { createRequire } from 'node:module';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

export interface ExtraResource {
  from: string;
  to: string;
  filter: string[];
}
export interface PlatformConfig {
  icon: string;
  target: string[];
  extraResources: ExtraResource[];
  [key: string]: unknown;
}
export interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  electronFuses: Record<string, boolean>;
  mac: PlatformConfig & { entitlements: string; entitlementsInherit: string; extendInfo: Record<string, unknown>; minimumSystemVersion: string };
  win: PlatformConfig;
  linux: PlatformConfig;
  [key: string]: unknown;
}

const require = createRequire(import.meta.url);
const { findAndReadConfig } = require('app-builder-lib/out/util/config/load.js') as {
  findAndReadConfig(request: { projectDir: string; configFilename: string }): Promise<{ result: unknown; configFile: string } | null>;
};
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
};

/** The configuration file electron-builder finds in the project, and what it holds. */
export async function loadBuilderConfig(): Promise<{ file: string; config: BuilderConfig }> {
  const found = await findAndReadConfig({ projectDir: root, configFilename: 'electron-builder' });
  if (!found) throw new Error('electron-builder finds no configuration file');
  return { file: found.configFile, config: found.result as BuilderConfig };
}

/** Resolves when electron-builder would accept `config`, rejects with its own message otherwise. */
export const validateBuilderConfig = (config: unknown): Promise<void> => validateConfiguration(config, { isEnabled: false, add: () => {} });
