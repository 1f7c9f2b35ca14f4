// Lint enforces the one-way layering of ../shared/STYLE.md: schema -> resolvers -> loaders -> adapters -> drivers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'src/generated/', 'client/generated/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import/no-cycle': 'error',
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/resolvers', from: './adapters/drivers', message: 'Resolvers never touch a driver: ask a loader.' },
            { target: './src/resolvers', from: './adapters/iyss', message: 'Resolvers never know a legacy system: ask a loader.' },
            { target: './adapters', from: './src', message: 'Adapters sit below the gateway and never import it.' },
            { target: './adapters', from: './node_modules/graphql', message: 'Adapters never import graphql.' },
            { target: './adapters', from: './node_modules/@apollo', message: 'Adapters never import Apollo.' },
            { target: './src', from: './test', message: 'Production code never imports test helpers.' },
            { target: './adapters', from: './test', message: 'Production code never imports test helpers.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
  },
);
