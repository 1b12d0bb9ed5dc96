import { useApi } from '../api/use-api.ts';
import type { VersionSummary } from '../api/types.ts';
import { Dialog } from '../ui/dialog.tsx';
import { formatDate, shortHash } from '../ui/format.ts';
import { LoadState } from '../ui/page.tsx';

/** Published versions, newest first; any of them can be put back on the canvas as the draft. */
export function VersionsDialog({
  workflowId,
  open,
  onClose,
  onRestore,
}: {
  workflowId: string;
  open: boolean;
  onClose: () => void;
  onRestore: (version: number) => void;
}) {
  const { data, error, loading } = useApi<{ versions: VersionSummary[] }>(
    open ? `/workflows/${encodeURIComponent(workflowId)}/versions` : undefined,
  );
  const versions = [...(data?.versions ?? [])].sort((a, b) => b.version - a.version);
  return (
    <Dialog title="Published versions" open={open} onClose={onClose} wide>
      <LoadState loading={loading} error={error} />
      {data && versions.length === 0 ? (
        <p className="muted">Nothing published yet. Publish turns the draft into version 1.</p>
      ) : null}
      {versions.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Published</th>
              <th scope="col">By</th>
              <th scope="col">Plan hash</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((version) => (
              <tr key={version.version}>
                <td>v{version.version}</td>
                <td>{formatDate(version.publishedAt)}</td>
                <td>{version.publishedBy ?? '—'}</td>
                <td>
                  <code>{shortHash(version.planHash)}</code>
                </td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="btn btn-quiet"
                    onClick={() => {
                      onRestore(version.version);
                      onClose();
                    }}
                  >
                    Load as draft
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Dialog>
  );
}
