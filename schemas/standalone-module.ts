// Ajv's standalone code (CommonJS: `exports`, `require("ajv/dist/runtime/…")`) as an ES module
// the editor can import under a CSP without 'unsafe-eval': `export default load(require)`, where
// the editor's `require` hands over its bundled runtime helpers (editor/src/ui/form-validators.ts).
export function asLoaderModule(standaloneCode: string, origin: string): string {
  return [
    `// ${origin}: Ajv standalone code, so the browser never compiles a schema.`,
    'export default function load(require) {',
    'const exports = {};',
    'const module = { exports };',
    standaloneCode,
    'return module.exports;',
    '}',
    '',
  ].join('\n');
}
