// Folder boundaries from DESIGN.md, enforced: the core never sees Electron or React, the contract stays
// portable, the renderer reaches the core only through the contract.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const electronAndUi = ['electron', 'electron/*', 'electron-store', 'react', 'react-dom', 'react/*'];

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
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronAndUi.filter((p) => !p.includes('*')),
          patterns: [
            { group: ['electron/*', 'react/*'], message: 'src-proxy is plain Node.' },
            { group: ['**/src-main/**', '**/src-renderer/**'], message: 'src-proxy must not depend on the shells.' },
          ],
        },
      ],
    },
  },
  {
    // The core reports through its shell's hooks; only the command line writes to the terminal.
    files: ['src-proxy/**/*.ts'],
    ignores: ['src-proxy/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src-proxy/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The contract is shared with the renderer: no Node imports.' },
            { group: ['../*', '!./*'], message: 'The contract imports nothing else from src-proxy.' },
            { group: ['**/src-main/**', '**/src-renderer/**', 'electron', 'react'], message: 'The contract stays portable.' },
          ],
        },
      ],
    },
  },
  {
    // The console and its component tests: a browser page that knows the core only through the contract.
    files: ['src-renderer/**/*.{ts,tsx}', 'tests/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'electron', 'electron/*', 'electron-store', 'undici'], message: 'The renderer runs in a browser.' },
            { group: ['**/src-main/**'], message: 'The renderer talks to main only through the contract.' },
            {
              group: ['**/src-proxy/**', '!**/src-proxy/contract', '!**/src-proxy/contract/**'],
              message: 'The renderer may import only src-proxy/contract.',
            },
          ],
        },
      ],
    },
  },
  {
    // Electron reaches the main process in one place: the composition hands it in as a DesktopPlatform,
    // so everything else runs under the test double. The preload is the other Electron entry.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/index.ts', 'src-main/preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only src-main/index.ts and src-main/preload/index.ts import electron; take it from the DesktopPlatform.' },
            { name: 'electron-store', message: 'electron-store imports electron; src-main/index.ts hands it in as openStore.' },
          ],
          patterns: [
            { group: ['electron/*'], message: 'Only src-main/index.ts and src-main/preload/index.ts import electron.' },
            { group: ['**/src-renderer/**'], message: 'Main never imports the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/index.ts', 'src-main/preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/src-renderer/**'], message: 'Main never imports the renderer.' }],
        },
      ],
    },
  },
  {
    // The Electron binary is not installed where tests run; they use tests/main/helpers/fake-electron.ts.
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{js,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron', 'electron-store'], patterns: [{ group: ['electron/*'], message: 'Use the Electron test double.' }] },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
