// Node types to drag onto the canvas, grouped by category, with a search box. Enter on an item
// adds it without a mouse.
import { useReactFlow } from '@xyflow/react';
import { memo, useCallback, useMemo, useState, type DragEvent } from 'react';
import type { NodeType } from '../api/types.ts';
import { categoryLabels, categoryOrder, latestVersions, nodeKey } from './catalog.ts';
import { PALETTE_MIME } from './canvas.tsx';
import { useEditorStore } from './editor-context.tsx';

const PaletteItem = memo(function PaletteItem({
  nodeType,
  onAdd,
}: {
  nodeType: NodeType;
  onAdd: (n: NodeType) => void;
}) {
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(PALETTE_MIME, nodeKey(nodeType.type, nodeType.version));
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <li>
      <button
        type="button"
        className="palette-item"
        draggable
        onDragStart={onDragStart}
        onClick={() => onAdd(nodeType)}
        data-node-type={nodeType.type}
        title={`${nodeType.description}\nDrag onto the canvas, or press Enter to add.`}
        aria-label={`${nodeType.title}: drag onto the canvas or press Enter to add`}
      >
        <span
          className="palette-swatch"
          style={{ background: nodeType.editor?.color ?? '#6b7280' }}
          aria-hidden="true"
        />
        <span className="palette-text">
          <span className="palette-title">{nodeType.title}</span>
          <span className="palette-description">{nodeType.description}</span>
        </span>
      </button>
    </li>
  );
});

export function Palette() {
  const catalog = useEditorStore((s) => s.catalog);
  const addNode = useEditorStore((s) => s.addNode);
  const { screenToFlowPosition } = useReactFlow();
  const [search, setSearch] = useState('');

  const groups = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const matching = latestVersions(catalog.all).filter(
      (node) =>
        !needle ||
        node.title.toLowerCase().includes(needle) ||
        node.type.includes(needle) ||
        node.description.toLowerCase().includes(needle) ||
        node.category.includes(needle),
    );
    const categories = [...new Set(matching.map((node) => node.category))].sort(
      (a, b) => (categoryOrder.indexOf(a) + 1 || 99) - (categoryOrder.indexOf(b) + 1 || 99),
    );
    return categories.map((category) => ({
      category,
      nodes: matching.filter((node) => node.category === category).sort((a, b) => a.title.localeCompare(b.title)),
    }));
  }, [catalog, search]);

  // Without a pointer the node goes to the middle of what is in view.
  const addAtCentre = useCallback(
    (nodeType: NodeType) => {
      const canvas = document.querySelector('.canvas')?.getBoundingClientRect();
      const centre = canvas
        ? { x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }
        : { x: 400, y: 300 };
      addNode(nodeType, screenToFlowPosition(centre));
    },
    [addNode, screenToFlowPosition],
  );

  return (
    <aside className="palette" aria-label="Node palette">
      <label className="field">
        <span className="field-label">Search nodes</span>
        <input
          type="search"
          value={search}
          placeholder="extract, review, invoice…"
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
      {groups.length === 0 ? <p className="muted">No node type matches “{search}”.</p> : null}
      {groups.map((group) => (
        <section
          key={group.category}
          className="palette-group"
          aria-label={categoryLabels[group.category] ?? group.category}
        >
          <h3>{categoryLabels[group.category] ?? group.category}</h3>
          <ul>
            {group.nodes.map((node) => (
              <PaletteItem key={nodeKey(node.type, node.version)} nodeType={node} onAdd={addAtCentre} />
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
