import { useRef, useState } from 'react';
import { displayText } from '../ui/display-text.ts';
import { api, ApiError, describeError } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { ExportDocument, Workflow, WorkflowSummary } from '../api/types.ts';
import { navigate, paths } from '../app/router.ts';
import { EmptyState } from '../ui/empty-state.tsx';
import { formatDate } from '../ui/format.ts';
import { Link } from '../ui/link.tsx';
import { LoadState, Page } from '../ui/page.tsx';
import { toast } from '../ui/toasts.tsx';

/** A new workflow is an empty draft; the canvas says to start with a trigger. */
function emptyGraph(name: string): Workflow['graph'] {
  return { name, nodes: [], edges: [] };
}

/** Whether the server refused the file because it changed after its export (contentHash). */
function changedSinceExport(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 409 &&
    (error.errors as { pointer?: string }[]).some((e) => e.pointer === '/contentHash')
  );
}

/**
 * Imports the file; one that changed since its export is shown as such and imported only when the
 * person says so. Undefined when they decline.
 */
async function importDocument(fileName: string, document_: ExportDocument): Promise<Workflow | undefined> {
  try {
    return (await api.post<{ workflow: Workflow }>('/workflows/import', document_)).workflow;
  } catch (reason) {
    if (!changedSinceExport(reason)) throw reason;
    const proceed = window.confirm(
      `“${fileName}” was changed after it was exported: its content no longer matches the hash written at export. ` +
        'Import it only if you know who changed it and why. Import anyway?',
    );
    if (!proceed) return undefined;
    return (await api.post<{ workflow: Workflow }>('/workflows/import?acceptModified=true', document_)).workflow;
  }
}

export function WorkflowsPage() {
  const { data, error, loading, reload } = useApi<{ workflows: WorkflowSummary[] }>('/workflows');
  const [name, setName] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);

  const create = async () => {
    const title = name.trim() || 'Untitled workflow';
    try {
      const { workflow } = await api.post<{ workflow: Workflow }>('/workflows', {
        name: title,
        graph: emptyGraph(title),
      });
      navigate(paths.editor(workflow.id));
    } catch (reason) {
      toast.error(`Not created: ${describeError(reason)}`);
    }
  };

  const importFile = async (file: File) => {
    try {
      const document_ = JSON.parse(await file.text()) as ExportDocument;
      const workflow = await importDocument(file.name, document_);
      if (!workflow) return;
      toast.success(`Imported “${displayText(workflow.name)}”.`);
      navigate(paths.editor(workflow.id));
    } catch (reason) {
      toast.error(`Cannot import ${file.name}: ${describeError(reason)}`);
    }
  };

  const archive = async (workflow: WorkflowSummary) => {
    if (!window.confirm(`Archive “${displayText(workflow.name)}”? Its versions and runs stay.`)) return;
    try {
      await api.delete(`/workflows/${encodeURIComponent(workflow.id)}`);
      reload();
    } catch (reason) {
      toast.error(describeError(reason));
    }
  };

  const workflows = [...(data?.workflows ?? [])].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return (
    <Page
      title="Workflows"
      actions={
        <>
          <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
            Import…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            className="visually-hidden"
            aria-label="Import a workflow file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void importFile(file);
              e.target.value = '';
            }}
          />
          <Link href={paths.templates} className="btn">
            From a template
          </Link>
        </>
      }
    >
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label className="field">
          <span className="field-label">New workflow name</span>
          <input value={name} placeholder="Reply to client emails" onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary">
          New workflow
        </button>
      </form>
      <LoadState loading={loading} error={error} />
      {data && workflows.length === 0 ? (
        <EmptyState title="No workflows yet">
          <p>Create one above, start from a template, or import an exported file.</p>
        </EmptyState>
      ) : null}
      {workflows.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Published</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {workflows.map((workflow) => (
              <tr key={workflow.id}>
                <td>
                  <Link href={paths.editor(workflow.id)}>
                    <bdi className="user-text">{displayText(workflow.name)}</bdi>
                  </Link>
                  {workflow.description ? (
                    <div className="muted small clamp-2" title={workflow.description}>
                      {workflow.description}
                    </div>
                  ) : null}
                </td>
                <td>
                  {workflow.latestVersion ? `v${workflow.latestVersion.version}` : <span className="muted">draft</span>}
                </td>
                <td className="cell-date">{formatDate(workflow.updatedAt)}</td>
                <td className="cell-actions">
                  <Link href={paths.runs(workflow.id)} className="btn btn-quiet">
                    Runs
                  </Link>
                  <button type="button" className="btn btn-quiet" onClick={() => void archive(workflow)}>
                    Archive
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}
