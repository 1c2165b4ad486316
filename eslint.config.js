// Lint: typescript-eslint's type-checked rules, plus house rules. No rule is switched off
// repo-wide "for now"; an exception is made inline, with the reason beside it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { noEhrWrite } from './scripts/eslint-no-ehr-write.mjs';

export default tseslint.config(
  {
    // apps/*/bin and the console's locate.js: plain JS outside every tsconfig, so the type-checked rules cannot run on them.
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.steward/**',
      'scripts/**',
      'eslint.config.js',
      'apps/*/bin/**',
      'apps/console/locate.*',
      // Generated from the OpenAPI document by npm run api:generate.
      'apps/console/src/api/schema.d.ts',
      'packages/sdk/src/schema.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      // PHI must not reach logs: console is banned above, and string-building of log messages from
      // record data is caught in review and by the log-leak test (this rule cannot see data flow).
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Use named re-exports: the public surface must be explicit.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'bench/**', 'apps/cli/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // No EHR write outside the proposal applier (principle: nothing is written to an EHR without an
    // approved proposal). Allowed where the writing side must live: the applier's folder, the
    // channel implementations (channels, the FHIR client, the screens channel), the composition root that builds the
    // channel, tests (which build writers on purpose) and benchmarks (which measure the FHIR client
    // itself). See scripts/eslint-no-ehr-write.mjs.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: [
      'packages/proposals/src/commit/**',
      'packages/ehr/src/channel/**',
      'packages/ehr/src/fhir-r4/**',
      'packages/automation/src/channel/**',
      'apps/server/src/kernel.ts',
      // The composition of the screens channel, handed to the governed EHR by the kernel.
      'apps/server/src/screens-channel.ts',
      '**/*.test.ts',
      'bench/**',
    ],
    plugins: { steward: { rules: { 'no-ehr-write': noEhrWrite } } },
    rules: { 'steward/no-ehr-write': 'error' },
  },
);
