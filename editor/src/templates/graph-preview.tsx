import { memo } from 'react';
import type { WorkflowGraph } from '../api/types.ts';

const W = 260;
const H = 110;
const BOX = { w: 30, h: 16 };

/** A thumbnail of a graph: boxes where the nodes are, lines where the edges go. */
export const GraphPreview = memo(function GraphPreview({
  graph,
  colours,
}: {
  graph: WorkflowGraph;
  /** Node type → its palette colour. */
  colours: ReadonlyMap<string, string>;
}) {
  if (graph.nodes.length === 0) return <div className="graph-preview muted small">empty</div>;
  const xs = graph.nodes.map((n) => n.position.x);
  const ys = graph.nodes.map((n) => n.position.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min((W - BOX.w - 8) / Math.max(maxX - minX, 1), (H - BOX.h - 8) / Math.max(maxY - minY, 1), 0.3);
  const offsetX = (W - BOX.w - (maxX - minX) * scale) / 2;
  const offsetY = (H - BOX.h - (maxY - minY) * scale) / 2;
  const at = new Map(
    graph.nodes.map((n) => [
      n.id,
      { x: offsetX + (n.position.x - minX) * scale, y: offsetY + (n.position.y - minY) * scale },
    ]),
  );
  return (
    <svg
      className="graph-preview"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Graph of ${graph.nodes.length} nodes`}
    >
      {graph.edges.map((edge) => {
        const a = at.get(edge.source);
        const b = at.get(edge.target);
        if (!a || !b) return null;
        return (
          <line
            key={edge.id}
            x1={a.x + BOX.w}
            y1={a.y + BOX.h / 2}
            x2={b.x}
            y2={b.y + BOX.h / 2}
            className="preview-edge"
          />
        );
      })}
      {graph.nodes.map((node) => {
        const p = at.get(node.id);
        return p ? (
          <g key={node.id}>
            <title>{node.label ?? node.type}</title>
            <rect x={p.x} y={p.y} width={BOX.w} height={BOX.h} rx={3} className="preview-node" />
            <rect x={p.x} y={p.y} width={BOX.w} height={4} rx={2} fill={colours.get(node.type) ?? '#6b7280'} />
          </g>
        ) : null;
      })}
    </svg>
  );
});
