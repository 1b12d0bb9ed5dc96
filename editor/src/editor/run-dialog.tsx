// Starts a run of the published workflow: the input is what the trigger node outputs (event and/or
// data), filled in a form generated from that schema, or typed as JSON.
import { useMemo, useState } from 'react';
import { api, describeError } from '../api/client.ts';
import type { NodeType, RunInputBody } from '../api/types.ts';
import { navigate, paths } from '../app/router.ts';
import { Dialog } from '../ui/dialog.tsx';
import { SchemaForm, type FormValue } from '../ui/schema-form.tsx';

export function RunDialog({
  workflowId,
  trigger,
  latestVersion,
  open,
  onClose,
}: {
  workflowId: string;
  trigger: NodeType | undefined;
  latestVersion: number | undefined;
  open: boolean;
  onClose: () => void;
}) {
  const [value, setValue] = useState<FormValue>({ data: {} });
  const [asJson, setAsJson] = useState(false);
  const [json, setJson] = useState('{\n  "data": {}\n}');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [withEvent, setWithEvent] = useState(false);

  // A manual run usually carries data only; the event (a dozen required fields) is asked for on request.
  const schema = useMemo(() => {
    if (!trigger) return undefined;
    const { event, ...others } = trigger.output.properties;
    return {
      ...trigger.output,
      properties: withEvent && event ? { ...others, event } : others,
    };
  }, [trigger, withEvent]);

  const start = async (input: FormValue) => {
    setBusy(true);
    setError(undefined);
    try {
      const body: RunInputBody = { input };
      const reply = await api.post<{ runId: string }>(`/workflows/${encodeURIComponent(workflowId)}/runs`, body);
      onClose();
      navigate(paths.run(reply.runId));
    } catch (reason) {
      setError(describeError(reason));
    } finally {
      setBusy(false);
    }
  };

  const startFromJson = () => {
    try {
      void start(JSON.parse(json) as FormValue);
    } catch (reason) {
      setError(`The input is not JSON: ${describeError(reason)}`);
    }
  };

  const toggle = () => {
    if (asJson) {
      try {
        setValue(JSON.parse(json) as FormValue);
      } catch {
        /* keep the form's value when the JSON does not parse */
      }
    } else setJson(JSON.stringify(value, null, 2));
    setAsJson(!asJson);
  };

  return (
    <Dialog title="Run workflow" open={open} onClose={onClose} wide>
      {latestVersion === undefined ? (
        <p role="alert" className="error-text">
          Publish the workflow first: a run executes a published version.
        </p>
      ) : (
        <p className="muted small">Runs version {latestVersion}. The input is what the trigger node passes on.</p>
      )}
      {!trigger ? (
        <p role="alert" className="error-text">
          The workflow has no trigger node.
        </p>
      ) : null}
      <div className="segmented" role="group" aria-label="Input as">
        <button
          type="button"
          className={asJson ? 'btn btn-quiet' : 'btn btn-quiet is-active'}
          aria-pressed={!asJson}
          onClick={() => asJson && toggle()}
        >
          Form
        </button>
        <button
          type="button"
          className={asJson ? 'btn btn-quiet is-active' : 'btn btn-quiet'}
          aria-pressed={asJson}
          onClick={() => !asJson && toggle()}
        >
          JSON
        </button>
      </div>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      {asJson ? (
        <>
          <label className="field">
            <span className="field-label">Run input (JSON)</span>
            <textarea className="code" rows={12} value={json} onChange={(e) => setJson(e.target.value)} />
          </label>
          <div className="dialog-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || latestVersion === undefined}
              onClick={startFromJson}
            >
              Start run
            </button>
          </div>
        </>
      ) : trigger ? (
        <>
          {'event' in trigger.output.properties ? (
            <label className="checkbox-field">
              <input
                type="checkbox"
                checked={withEvent}
                onChange={(e) => {
                  setWithEvent(e.target.checked);
                  if (!e.target.checked) {
                    const { event: _event, ...rest } = value;
                    setValue(rest);
                  }
                }}
              />{' '}
              Send an event too (as if it came from email, a webhook or a form)
            </label>
          ) : null}
          <SchemaForm
            id="run-input"
            schema={schema ?? trigger.output}
            value={value}
            onChange={setValue}
            onSubmit={(v) => void start(v)}
          >
            <div className="dialog-actions">
              <button type="submit" className="btn btn-primary" disabled={busy || latestVersion === undefined}>
                Start run
              </button>
            </div>
          </SchemaForm>
        </>
      ) : null}
    </Dialog>
  );
}
