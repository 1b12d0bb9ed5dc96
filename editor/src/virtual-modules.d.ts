// Modules the editor's build makes (editor/build/precompiled-ajv.ts).
declare module 'virtual:workflow-graph-validator' {
  /** Ajv standalone code for the WorkflowGraph contract; `require` hands it Ajv's runtime helpers. */
  const load: (require: (name: string) => unknown) => unknown;
  export default load;
}
