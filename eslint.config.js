// Folder boundaries from DESIGN.md, enforced: the core never sees Electron or React, the contract stays
// portable, the renderer reaches the core only through the contract, and inside the core each folder
// imports only the floors below it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importFloors } from './scripts/lint/import-floors.mjs';

/**
 * The floors of src-proxy, lowest first: a folder imports only folders on lower floors, never one on its
 * own floor or above. A new folder gets a floor here before it can import or be imported.
 */
export const CORE_FLOORS = [
  ['contract'],
  ['anthropic', 'lib'],
  ['routing', 'settings', 'claude-code'],
  ['accounts', 'logs'],
  ['providers', 'team'],
  ['gateway'],
  ['control-api', 'runtime'],
  ['cli'],
];

/**
 * no-restricted-imports from several lists at once. Flat config replaces a rule's options instead of
 * merging them, so every block that sets the rule states everything it bans; no two such blocks match
 * the same file.
 */
function restrictImports(...lists) {
  return ['error', { paths: lists.flatMap((l) => l.paths ?? []), patterns: lists.flatMap((l) => l.patterns ?? []) }];
}

const noShells = { patterns: [{ group: ['**/src-main/**', '**/src-renderer/**'], message: 'src-proxy must not depend on the shells.' }] };
const plainNode = {
  paths: [
    { name: 'electron', message: 'src-proxy is plain Node.' },
    { name: 'electron-store', message: 'src-proxy is plain Node; stores come in through ports.' },
    { name: 'react', message: 'src-proxy is plain Node.' },
    { name: 'react-dom', message: 'src-proxy is plain Node.' },
  ],
  patterns: [{ group: ['electron/*', 'react/*', 'react-dom/*'], message: 'src-proxy is plain Node.' }],
};
const portable = {
  paths: [{ name: 'undici', message: 'The contract is shared with the renderer: it uses the fetch both have.' }],
  patterns: [{ group: ['node:*', 'undici/*'], message: 'The contract is shared with the renderer: no Node imports.' }],
};
const noCli = { patterns: [{ group: ['**/src-proxy/cli/**'], message: 'The desktop app does not import the command line; share through lib or runtime.' }] };
const noRenderer = { patterns: [{ group: ['**/src-renderer/**'], message: 'Main never imports the renderer.' }] };
const testDoubleElectron = {
  paths: [
    { name: 'electron', message: 'Use the Electron test double.' },
    { name: 'electron-store', message: 'Use the Electron test double.' },
  ],
  patterns: [{ group: ['electron/*'], message: 'Use the Electron test double.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'release/**', '.tools/**'] },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src-proxy/**/*.ts'],
    ignores: ['src-proxy/contract/**'],
    rules: { 'no-restricted-imports': restrictImports(plainNode, noShells) },
  },
  {
    files: ['src-proxy/**/*.ts'],
    plugins: { switchyard: { rules: { 'import-floors': importFloors } } },
    rules: { 'switchyard/import-floors': ['error', { root: 'src-proxy', floors: CORE_FLOORS }] },
  },
  {
    // The core reports through its shell's hooks; only the command line writes to the terminal.
    files: ['src-proxy/**/*.ts'],
    ignores: ['src-proxy/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // The contract is imported by the browser console too.
    files: ['src-proxy/contract/**/*.ts'],
    rules: { 'no-restricted-imports': restrictImports(plainNode, portable, noShells) },
  },
  {
    // The console and its component tests: a browser page that knows the core only through the contract.
    files: ['src-renderer/**/*.{ts,tsx}', 'tests/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrictImports({
        patterns: [
          { group: ['node:*', 'electron', 'electron/*', 'electron-store', 'undici'], message: 'The renderer runs in a browser.' },
          { group: ['**/src-main/**'], message: 'The renderer talks to main only through the contract.' },
          {
            group: ['**/src-proxy/**', '!**/src-proxy/contract', '!**/src-proxy/contract/**'],
            message: 'The renderer may import only src-proxy/contract.',
          },
        ],
      }),
    },
  },
  {
    // Electron reaches the main process in one place: the composition hands it in as a DesktopPlatform,
    // so everything else runs under the test double. The preload is the other Electron entry.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/index.ts', 'src-main/preload/index.ts'],
    rules: {
      'no-restricted-imports': restrictImports(
        {
          paths: [
            { name: 'electron', message: 'Only src-main/index.ts and src-main/preload/index.ts import electron; take it from the DesktopPlatform.' },
            { name: 'electron-store', message: 'electron-store imports electron; src-main/index.ts hands it in as openStore.' },
          ],
          patterns: [{ group: ['electron/*'], message: 'Only src-main/index.ts and src-main/preload/index.ts import electron.' }],
        },
        noRenderer,
        noCli,
      ),
    },
  },
  {
    files: ['src-main/index.ts', 'src-main/preload/index.ts'],
    rules: { 'no-restricted-imports': restrictImports(noRenderer, noCli) },
  },
  {
    // The Electron binary is not installed where tests run; they use tests/main/helpers/fake-electron.ts.
    // The console's tests are held to the renderer's rules above, which ban Electron too.
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{js,mjs}'],
    ignores: ['tests/renderer/**'],
    rules: { 'no-restricted-imports': restrictImports(testDoubleElectron) },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
