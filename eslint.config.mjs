import { defineConfig } from 'eslint/config';
import grafanaConfig from '@grafana/eslint-config';

// The scaffold's .config/eslint.config.mjs (create-plugin 7.1.7) imports
// '@grafana/eslint-config/flat.js', a path that @grafana/eslint-config 10 no
// longer exports; version 10 is the one that replaces the deprecated
// @stylistic/eslint-plugin-ts with @stylistic/eslint-plugin. So this file
// builds on @grafana/eslint-config directly and repeats the scaffold's own
// blocks below. When create-plugin's template moves to version 10, go back to
// extending .config/eslint.config.mjs.
const scaffoldConfig = [
  ...grafanaConfig,
  {
    rules: {
      'react/prop-types': 'off',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],

    languageOptions: {
      parserOptions: {
        project: './tsconfig.json',
      },
    },

    rules: {
      '@typescript-eslint/no-deprecated': 'warn',
    },
  },
  {
    files: ['./tests/**/*'],

    rules: {
      'react-hooks/rules-of-hooks': 'off',
    },
  },
];

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
      '.cache/',
      // the plugin validator's examples of what its code rules flag
      'internal/coderules/testdata/',
    ],
  },
  ...scaffoldConfig,
]);
