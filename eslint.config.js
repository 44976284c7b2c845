// Folder boundaries from DESIGN.md, enforced: the core never sees Electron or React, the contract stays
// portable, the renderer reaches the core only through the contract.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const electronAndUi = ['electron', 'electron/*', 'electron-store', 'react', 'react-dom', 'react/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
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
    files: ['src-main/**/*.ts'],
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
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
