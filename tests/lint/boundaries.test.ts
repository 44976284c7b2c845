// The folder boundaries of DESIGN.md as ESLint enforces them: who may import Electron, and which way the
// source folders may depend on each other.

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** Whether the import rule lets `source` stand in `filePath`. */
async function expectImport(filePath: string, source: string, allowed: boolean): Promise<void> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath });
  const errors = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
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
