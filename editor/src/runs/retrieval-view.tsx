// The memory a node retrieved: the fingerprint that makes the search repeatable, and each record
// with the source (uri@version) it came from.
import type { MemoryRecord } from '../../../schemas/memory-record.ts';

export interface Retrieval {
  query: string;
  fingerprint: string;
  indexVersion: string;
  ids: string[];
  records: { record: MemoryRecord; score: number }[];
}

function isRetrieval(value: unknown): value is Retrieval {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Partial<Retrieval>;
  return typeof candidate.fingerprint === 'string' && Array.isArray(candidate.records);
}

/** Retrievals anywhere one level into a node's input or output (retrieve's `context`, extract's input). */
export function findRetrievals(...values: unknown[]): Retrieval[] {
  const found: Retrieval[] = [];
  for (const value of values) {
    if (isRetrieval(value)) found.push(value);
    else if (value && typeof value === 'object')
      for (const inner of Object.values(value)) if (isRetrieval(inner)) found.push(inner);
  }
  return found.filter((r, i) => found.findIndex((other) => other.fingerprint === r.fingerprint) === i);
}

export function RetrievalView({ retrieval }: { retrieval: Retrieval }) {
  return (
    <div className="retrieval">
      <dl className="facts">
        <div>
          <dt>Query</dt>
          <dd>{retrieval.query || '—'}</dd>
        </div>
        <div>
          <dt>Fingerprint</dt>
          <dd>
            <code className="wrap">{retrieval.fingerprint}</code>
          </dd>
        </div>
        <div>
          <dt>Index version</dt>
          <dd>
            <code>{retrieval.indexVersion}</code>
          </dd>
        </div>
      </dl>
      {retrieval.records.length === 0 ? (
        <p className="muted small">No records matched.</p>
      ) : (
        <ol className="records" aria-label="Retrieved records">
          {retrieval.records.map(({ record, score }) => (
            <li key={record.id}>
              <div className="record-head">
                <span className="chip">{record.kind}</span>
                <span className="muted small">score {score.toFixed(3)}</span>
                <span className="muted small">confidence {record.confidence}</span>
              </div>
              <p className="record-text">{record.text.length > 400 ? `${record.text.slice(0, 399)}…` : record.text}</p>
              <p className="small">
                Source: <code className="wrap">{record.source.uri}</code> @ <code>{record.source.version}</code>
                {record.provenance ? (
                  <span className="muted">
                    {' '}
                    · written by {record.provenance.workflowId} / {record.provenance.nodeId}
                    {record.provenance.reviewer ? ` (reviewed by ${record.provenance.reviewer})` : ''}
                  </span>
                ) : null}
              </p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
