// ESLint flat config. Besides the usual TypeScript and Svelte rules it enforces the process
// boundaries of ARCHITECTURE.md, so nobody has to remember them:
//   - `electron` may be imported only by electron/main and electron/preload;
//   - core/ imports no node:* module, no DOM global and nothing outside core/;
//   - renderer/ imports nothing of electron/ at run time (types are fine) and no node:*.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronOnlyInMainAndPreload = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron (ARCHITECTURE.md).',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'release/**',
      'test-results/**',
      'renderer/dist/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronOnlyInMainAndPreload] }],
      'no-restricted-properties': [
        'error',
        {
          object: 'shell',
          property: 'openExternal',
          message: 'Open links only through electron/main/safe-shell.ts (https, http, mailto).',
        },
      ],
    },
  },
  {
    // electron-builder loads its configuration and hooks with require(): they stay CommonJS.
    files: ['build/**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['electron/main/safe-shell.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['core/**'],
    languageOptions: { globals: { ...globals.es2024, ...globals.worker } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronOnlyInMainAndPreload,
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'core/ is isomorphic: no Node built-ins (ARCHITECTURE.md).',
            })),
          ],
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**', '**/km/**', '**/test/**'],
              message: 'core/ imports nothing outside core/.',
            },
            { group: ['node:*'], message: 'core/ is isomorphic: no Node built-ins.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'process', 'Buffer', 'require', '__dirname', 'localStorage'].map(
          (name) => ({
            name,
            message: 'core/ runs in a worker, the CLI and the KM server: no DOM or Node globals.',
          }),
        ),
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronOnlyInMainAndPreload,
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'The renderer is sandboxed: no Node built-ins.',
            })),
          ],
          patterns: [
            {
              group: ['**/electron/**', '**/km/**'],
              allowTypeImports: true,
              message: 'The renderer may import only types from electron/ (ARCHITECTURE.md).',
            },
            { group: ['node:*'], message: 'The renderer is sandboxed: no Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    files: ['km/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInMainAndPreload],
          patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'km/ imports only core/.' }],
        },
      ],
    },
  },
);
