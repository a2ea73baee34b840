import base from './eslint.config.js'
export default [
  ...base,
  { files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } } },
]
