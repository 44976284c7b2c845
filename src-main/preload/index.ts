// The preload: runs sandboxed in the console window and exposes the bridge under one global name.
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_BRIDGE_KEY } from '../../src-proxy/contract/index.js';
import { createDesktopBridge } from './bridge.js';

contextBridge.exposeInMainWorld(DESKTOP_BRIDGE_KEY, createDesktopBridge(ipcRenderer));
