// The template gallery: what each template does, which nodes it uses, whether it needs a mail
// account, and its shape; "Use template" asks for its parameters and creates a workflow from it.
import { useMemo, useState } from 'react';
import { api, ApiError, describeError } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import type { NodeType, TemplateSummary, Workflow } from '../api/types.ts';
import { navigate, paths } from '../app/router.ts';
import { Dialog } from '../ui/dialog.tsx';
import { EmptyState } from '../ui/empty-state.tsx';
import { LoadState, Page } from '../ui/page.tsx';
import { SchemaForm, type FormValue } from '../ui/schema-form.tsx';
import { mailAccountsPath } from '../settings/mail-api.ts';
import type { MailAccount } from '../settings/mail-types.ts';
import { GraphPreview } from './graph-preview.tsx';
import { MailNeedNote, mailNeedsOf, withAccountChoices } from './mail-need.tsx';

function UseTemplateDialog({
  template,
  accounts,
  onClose,
}: {
  template: TemplateSummary | undefined;
  accounts: string[] | undefined;
  onClose: () => void;
}) {
  const [name, setName] = useState('');
  const [parameters, setParameters] = useState<FormValue>({});
  const [error, setError] = useState<string | undefined>();
  const [fieldErrors, setFieldErrors] = useState<{ pointer: string; message: string }[]>([]);
  const [busy, setBusy] = useState(false);

  const create = async (values: FormValue) => {
    if (!template) return;
    setBusy(true);
    setError(undefined);
    try {
      const { workflow } = await api.post<{ workflow: Workflow }>(`/templates/${encodeURIComponent(template.id)}/use`, {
        parameters: values,
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      onClose();
      navigate(paths.editor(workflow.id));
    } catch (reason) {
      setError(describeError(reason));
      if (reason instanceof ApiError)
        setFieldErrors(
          (reason.errors as { pointer?: string; message?: string }[])
            .filter((e) => e.pointer?.startsWith('/parameters'))
            .map((e) => ({ pointer: (e.pointer ?? '').replace(/^\/parameters/, ''), message: e.message ?? 'invalid' })),
        );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={template ? `Use “${template.title}”` : 'Use template'}
      open={template !== undefined}
      onClose={onClose}
      wide
    >
      {template ? (
        <>
          <p className="small">{template.description}</p>
          <MailNeedNote needs={template.needs} accounts={accounts} />
          <label className="field">
            <span className="field-label">Workflow name</span>
            <input value={name} placeholder={template.title} onChange={(e) => setName(e.target.value)} />
          </label>
          {error ? (
            <p role="alert" className="error-text">
              {error}
            </p>
          ) : null}
          <SchemaForm
            id="template-parameters"
            schema={withAccountChoices(template.parameters, template.needs, accounts)}
            value={parameters}
            onChange={setParameters}
            onSubmit={(values) => void create(values)}
            problems={fieldErrors}
          >
            <div className="dialog-actions">
              <button type="button" className="btn btn-quiet" onClick={onClose}>
                Cancel
              </button>
              <button type="submit" className="btn btn-primary" disabled={busy}>
                Create workflow
              </button>
            </div>
          </SchemaForm>
        </>
      ) : null}
    </Dialog>
  );
}

export function TemplatesPage() {
  const { data, error, loading } = useApi<{ templates: TemplateSummary[] }>('/templates');
  const [chosen, setChosen] = useState<TemplateSummary | undefined>();
  const types = useApi<{ nodeTypes: NodeType[] }>('/node-types');
  const colours = useMemo(
    () => new Map((types.data?.nodeTypes ?? []).map((type) => [type.type, type.editor?.color ?? '#6b7280'])),
    [types.data],
  );
  const templates = data?.templates ?? [];
  // Asked only when a template needs a mailbox: the gallery shows which accounts exist.
  const needsMail = templates.some((template) => mailNeedsOf(template.needs).length > 0);
  const mail = useApi<{ accounts: MailAccount[] }>(needsMail ? mailAccountsPath : undefined);
  const accounts = mail.data?.accounts.map((account) => account.id);
  return (
    <Page title="Templates">
      <p className="muted">
        Ready-made workflows for the work a one-person company repeats. Each becomes a draft you can change.
      </p>
      <LoadState loading={loading} error={error} />
      {data && templates.length === 0 ? <EmptyState title="No templates installed" /> : null}
      <ul className="card-grid">
        {templates.map((template) => (
          <li key={template.id} className="card" aria-labelledby={`template-${template.id}`}>
            <GraphPreview graph={template.graph} colours={colours} />
            <h3 id={`template-${template.id}`}>{template.title}</h3>
            <p className="card-description" title={template.description}>
              {template.description}
            </p>
            <ul className="chips" aria-label="Nodes used">
              {[...new Set(template.nodes)].map((node) => (
                <li key={node} className="chip">
                  {node}
                </li>
              ))}
            </ul>
            <MailNeedNote needs={template.needs} accounts={accounts} />
            <div className="card-actions">
              <button type="button" className="btn btn-primary" onClick={() => setChosen(template)}>
                Use template
              </button>
            </div>
          </li>
        ))}
      </ul>
      <UseTemplateDialog
        key={chosen?.id ?? 'none'}
        template={chosen}
        accounts={accounts}
        onClose={() => setChosen(undefined)}
      />
    </Page>
  );
}
