// The folder boundaries of DESIGN.md as ESLint enforces them: who may import Electron, which way the
// source folders may depend on each other, and the floors inside the core.

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** Whether the import rule lets `source` stand in `filePath`. */
async function expectImport(filePath: string, source: string, allowed: boolean): Promise<void> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath });
  const errors = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'switchyard/import-floors');
  expect(errors.length === 0).toBe(allowed);
}

describe('who may import electron', () => {
  it.each([
    ['src-main/index.ts', "import { app } from 'electron';", true],
    ['src-main/preload/index.ts', "import { contextBridge } from 'electron';", true],
    ['src-main/index.ts', "import ElectronStore from 'electron-store';", true],
    ['src-main/desktop-app.ts', "import { app } from 'electron';", false],
    ['src-main/tray/tray-controller.ts', "import type { Tray } from 'electron';", false],
    ['src-main/preload/bridge.ts', "import { ipcRenderer } from 'electron';", false],
    ['src-main/adapters/store-document.ts', "import Store from 'electron-store';", false],
    ['src-main/security/app-protocol.ts', "import { net } from 'electron/main';", false],
    ['src-proxy/runtime/create-runtime.ts', "import { app } from 'electron';", false],
    ['src-proxy/contract/index.ts', "import { app } from 'electron';", false],
    ['src-renderer/main.tsx', "import { ipcRenderer } from 'electron';", false],
    ['tests/main/desktop-app.test.ts', "import { app } from 'electron';", false],
  ])('%s: %s allowed %s', expectImport);
});

describe('dependency direction', () => {
  it.each([
    ['src-proxy/runtime/create-runtime.ts', "import { runDesktopApp } from '../../src-main/desktop-app.js';", false],
    ['src-proxy/cli/main.ts', "import type { DesktopPlatform } from '../../src-main/desktop-app.js';", false],
    ['src-proxy/gateway/app.ts', "import { App } from '../../src-renderer/app.js';", false],
    ['src-main/desktop-app.ts', "import { createRuntime } from '../src-proxy/runtime/create-runtime.js';", true],
    ['src-main/desktop-app.ts', "import { App } from '../src-renderer/app.js';", false],
    ['src-main/index.ts', "import { App } from '../src-renderer/app.js';", false],
    ['src-renderer/app.tsx', "import type { ControlApi } from '../src-proxy/contract/index.js';", true],
    ['src-renderer/app.tsx', "import { createRuntime } from '../src-proxy/runtime/create-runtime.js';", false],
    ['src-renderer/app.tsx', "import { createDesktopBridge } from '../src-main/preload/bridge.js';", false],
  ])('%s: %s allowed %s', expectImport);
});

describe('what the contract may import, shared as it is with the browser console', () => {
  it.each([
    ["import { z } from 'zod';", true],
    ["import { request } from 'undici';", false],
    ["import type { Dispatcher } from 'undici';", false],
    ["import Store from 'electron-store';", false],
    ["import { createRoot } from 'react-dom/client';", false],
    ["import { createPortal } from 'react-dom';", false],
    ["import { useState } from 'react';", false],
    ["import { readFile } from 'node:fs/promises';", false],
    ["import { EventBus } from '../lib/event-bus.js';", false],
  ])('src-proxy/contract/accounts.ts: %s allowed %s', (source, allowed) => expectImport('src-proxy/contract/accounts.ts', source, allowed));

  it('keeps the bans of the whole core besides its own', async () => {
    await expectImport('src-proxy/contract/index.ts', "import { app } from 'electron/main';", false);
    await expectImport('src-proxy/contract/index.ts', "import { App } from '../../src-renderer/app/App.js';", false);
  });
});

describe('the floors of the core: contract <- anthropic, lib <- routing, settings <- accounts, logs <- providers <- gateway <- control-api, runtime <- cli', () => {
  // A file on each floor importing from the floor above it (and, where a floor has two folders, from its
  // neighbour) is refused; the same import the other way round is allowed.
  it.each([
    ['src-proxy/contract/settings.ts', "import { isWarmup } from '../anthropic/warmup.js';", false],
    ['src-proxy/contract/settings.ts', "import { EventBus } from '../lib/event-bus.js';", false],
    ['src-proxy/anthropic/warmup.ts', "import type { Settings } from '../contract/index.js';", true],
    ['src-proxy/anthropic/warmup.ts', "import { EventBus } from '../lib/event-bus.js';", false],
    ['src-proxy/lib/event-bus.ts', "import { isWarmup } from '../anthropic/warmup.js';", false],
    ['src-proxy/lib/event-bus.ts', "import { resolveRoute } from '../routing/model-mapping.js';", false],
    ['src-proxy/anthropic/cleanup.ts', "import type { SettingsStore } from '../settings/settings-store.js';", false],
    ['src-proxy/routing/model-mapping.ts', "import { isWarmup } from '../anthropic/warmup.js';", true],
    ['src-proxy/routing/model-mapping.ts', "import { SerialQueue } from '../lib/serial-queue.js';", true],
    ['src-proxy/routing/model-mapping.ts', "import type { SettingsStore } from '../settings/settings-store.js';", false],
    ['src-proxy/settings/migrations.ts', "import { resolveRoute } from '../routing/model-mapping.js';", false],
    ['src-proxy/routing/account-selection.ts', "import type { AccountStore } from '../accounts/account-store.js';", false],
    ['src-proxy/settings/settings-store.ts', "import type { RequestHistory } from '../logs/request-log.js';", false],
    ['src-proxy/accounts/account-store.ts', "import type { SettingsStore } from '../settings/settings-store.js';", true],
    ['src-proxy/accounts/account-store.ts', "import type { RequestHistory } from '../logs/request-log.js';", false],
    ['src-proxy/logs/request-log.ts', "import type { AccountStore } from '../accounts/account-store.js';", false],
    ['src-proxy/accounts/account-pool.ts', "import type { AccountStatePort } from '../providers/types.js';", false],
    ['src-proxy/accounts/account-pool.ts', "import type { AccountPool } from '../gateway/deps.js';", false],
    ['src-proxy/providers/types.ts', "import type { AccountCredentials } from '../accounts/pool-ports.js';", true],
    ['src-proxy/providers/types.ts', "import type { GatewayDeps } from '../gateway/deps.js';", false],
    ['src-proxy/gateway/deps.ts', "import type { ProviderRegistry } from '../providers/types.js';", true],
    ['src-proxy/gateway/deps.ts', "import { createRuntime } from '../runtime/create-runtime.js';", false],
    ['src-proxy/gateway/app.ts', "import { dispatch } from '../control-api/dispatcher.js';", false],
    ['src-proxy/runtime/create-runtime.ts', "import { createGatewayApp } from '../gateway/app.js';", true],
    ['src-proxy/runtime/create-runtime.ts', "import { dispatch } from '../control-api/dispatcher.js';", false],
    ['src-proxy/control-api/console-server.ts', "import type { Runtime } from '../runtime/create-runtime.js';", false],
    ['src-proxy/runtime/create-runtime.ts', "import { main } from '../cli/main.js';", false],
    ['src-proxy/control-api/console-server.ts', "import { main } from '../cli/main.js';", false],
    ['src-proxy/cli/main.ts', "import { createRuntime } from '../runtime/create-runtime.js';", true],
    ['src-proxy/cli/main.ts', "import { startConsoleServer } from '../control-api/console-server.js';", true],
  ])('%s: %s allowed %s', expectImport);

  it('judges an import by where it lands, from however deep a file sits', async () => {
    const deep = 'src-proxy/providers/antigravity/google-oauth/oauth-client.ts';
    await expectImport(deep, "import type { GatewayDeps } from '../../../gateway/deps.js';", false);
    await expectImport(deep, "import type { AccountStatePort } from '../../../accounts/pool-ports.js';", true);
    await expectImport(deep, "import { UpstreamClient } from '../../shared/upstream-client.js';", true);
  });

  it('holds for type-only imports, re-exports and dynamic imports alike', async () => {
    await expectImport('src-proxy/accounts/account-pool.ts', "export type { GatewayDeps } from '../gateway/deps.js';", false);
    await expectImport('src-proxy/accounts/account-pool.ts', "export * from '../providers/types.js';", false);
    await expectImport('src-proxy/lib/report.ts', "const cli = await import('../cli/main.js');", false);
    await expectImport('src-proxy/logs/request-log.ts', "let t: import('../gateway/deps.js').GatewayDeps;", false);
  });

  it('refuses a folder that has no floor yet, importing or imported', async () => {
    await expectImport('src-proxy/storage/json-file.ts', "import { SerialQueue } from '../lib/serial-queue.js';", false);
    await expectImport('src-proxy/cli/main.ts', "import { store } from '../storage/json-file.js';", false);
  });
});

describe('the desktop app and the command line', () => {
  it.each([
    ['src-main/index.ts', "import { defaultDataDir } from '../src-proxy/cli/data-dir.js';", false],
    ['src-main/index.ts', "import { defaultDataDir } from '../src-proxy/lib/data-dir.js';", true],
    ['src-main/desktop-app.ts', "import { main } from '../src-proxy/cli/main.js';", false],
    ['src-main/adapters/headless-import.ts', "import { readJsonFile } from '../../src-proxy/lib/json-file.js';", true],
  ])('%s: %s allowed %s', expectImport);
});

describe("the console's tests are held to the console's rules", () => {
  it.each([
    ['tests/renderer/fake-control.ts', "import { readFile } from 'node:fs/promises';", false],
    ['tests/renderer/fake-control.ts', "import { createRuntime } from '../../src-proxy/runtime/create-runtime.js';", false],
    ['tests/renderer/fake-control.ts', "import type { ControlApi } from '../../src-proxy/contract/index.js';", true],
    ['tests/proxy/gateway/app.test.ts', "import { readFile } from 'node:fs/promises';", true],
  ])('%s: %s allowed %s', expectImport);
});
