// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Workflow-side code is bundled by Temporal and replayed: it must stay deterministic and free of I/O.
const workflowPurity = {
  patterns: [
    { group: ['node:*'], message: 'Workflow-side code must not use Node built-ins.' },
    {
      group: ['@nestjs/*', 'typeorm', 'pg', 'nestjs-pino', 'pino'],
      message: 'Workflow-side code must not import NestJS, TypeORM or I/O libraries.',
    },
    {
      group: ['@temporalio/worker', '@temporalio/client', '@temporalio/activity', '@temporalio/testing'],
      message: 'Workflows import only @temporalio/workflow and @temporalio/common.',
    },
    {
      group: ['**/activities', '**/activities/*'],
      allowTypeImports: true,
      message: 'Workflows may import activity types only (import type).',
    },
    {
      group: ['**/libs/persistence/**', '**/libs/config/**', '**/apps/**'],
      message: 'Workflow-side code must not reach persistence, config or apps.',
    },
  ],
  paths: [
    'fs',
    'path',
    'crypto',
    'os',
    'http',
    'https',
    'net',
    'child_process',
    'util',
    'events',
    'stream',
    'process',
    'timers',
  ].map((name) => ({
    name,
    message: 'Workflow-side code must not use Node built-ins.',
  })),
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.data/**', '.tools/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'no-console': 'error',
    },
  },
  {
    files: ['workflows/**/*.ts', 'libs/domain/**/*.ts', 'libs/calendar/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', workflowPurity],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval'],
    },
  },
  {
    files: ['scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Tests read untyped JSON bodies from HTTP and SQL; asserting on them is the point.
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);
