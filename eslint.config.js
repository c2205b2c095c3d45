// Shared lint rules for every package; each package's `lint` script runs `eslint .` from its folder.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/generated/**', '**/node_modules/**', '**/test-results/**', '**/playwright-report/**', '**/fixtures/generated/**', '**/bench-results/**', '**/.tmp/**', '**/.cli/**', '**/.bundle/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a string union or an as-const object.' }],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}', '**/src/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
