// What the desktop bundles are compiled for: the Node and the Chromium inside the Electron that
// package.json names (Electron 45: Node 24, Chromium 154). tests/packaging checks them against the
// installed Electron, so a move to another Electron cannot leave the targets behind.
export const ELECTRON_NODE_TARGET = 'node24';
export const ELECTRON_CHROME_TARGET = 'chrome154';
