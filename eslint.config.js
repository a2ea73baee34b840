// ESLint flat config: typescript-eslint strict + stylistic (type-checked), Prettier owns formatting.
import fs from 'node:fs'
import path from 'node:path'

import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import importX, { createNodeResolver } from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// Module boundaries, checked on resolved file paths (so `../x/x-service.js` and `../../modules/x/x-service.js` are
// caught alike): a module's index.ts is its only import surface for everything outside the module folder, tests
// included; platform code and the database layer never import modules at all. Import cycles are found by
// scripts/check-import-cycles.js (also part of `npm run lint`), at a fraction of import-x/no-cycle's cost.
const modulesDir = path.join(import.meta.dirname, 'src/modules')
const moduleNames = fs
  .readdirSync(modulesDir, { withFileTypes: true })
  .filter(entry => entry.isDirectory())
  .map(entry => entry.name)
const outsideModule = name => [
  ...moduleNames.filter(other => other !== name).map(other => `./src/modules/${other}`),
  './src/*.ts',
  './src/platform',
  './src/db',
  './test',
  './e2e',
  './bench',
  './scripts',
  './bin',
]
const boundaryZones = [
  ...moduleNames.map(name => ({
    target: outsideModule(name),
    from: `./src/modules/${name}`,
    except: ['./index.ts'],
    message: `Import the ${name} module through src/modules/${name}/index.ts (export what you need from there).`,
  })),
  {
    target: ['./src/platform', './src/db'],
    from: './src/modules',
    message: 'platform/ and db/ never import from modules/; the composition root wires modules together.',
  },
]

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'reference-data/**', 'src/assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } }),
      ],
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['describe', 'it', 'test', 'suite', 'before', 'after'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'import-x/no-duplicates': 'error',
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: boundaryZones }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/config.ts.' },
      ],
    },
  },
  {
    files: ['src/config.ts', 'scripts/**', 'bench/**', 'e2e/**', 'test/**', 'bin/**', '**/*.test.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.test.ts', 'e2e/**', 'test/**', 'bench/**', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  prettier,
)
