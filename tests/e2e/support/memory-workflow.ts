// A workflow that remembers a note and searches for it in the same run: what the run page's
// retrieval view is shown with.
export const rememberAndRecall = {
  name: 'E2E memory',
  nodes: [
    { id: 'start', type: 'trigger', version: 1, config: { kind: 'manual' }, position: { x: 0, y: 0 } },
    { id: 'note', type: 'transform', version: 1, config: { expression: 'note' }, position: { x: 260, y: 0 } },
    {
      id: 'keep',
      type: 'remember',
      version: 1,
      config: { kind: 'note', sourceUri: 'doc://e2e/client-notes', confidence: 0.9 },
      position: { x: 520, y: 0 },
    },
    {
      id: 'ask',
      type: 'transform',
      version: 1,
      config: { expression: '"invoices in euros"' },
      position: { x: 780, y: 0 },
    },
    { id: 'recall', type: 'retrieve', version: 1, config: { scope: 'all', k: 3 }, position: { x: 1040, y: 0 } },
  ],
  edges: [
    { id: 'a', source: 'start', sourcePort: 'data', target: 'note', targetPort: 'value' },
    { id: 'b', source: 'note', sourcePort: 'value', target: 'keep', targetPort: 'content' },
    { id: 'c', source: 'keep', sourcePort: 'sourceUri', target: 'ask', targetPort: 'value' },
    { id: 'd', source: 'ask', sourcePort: 'value', target: 'recall', targetPort: 'query' },
  ],
};
