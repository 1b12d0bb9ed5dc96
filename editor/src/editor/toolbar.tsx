import { useRef, useState } from 'react';
import { displayText } from '../ui/display-text.ts';
import { Link } from '../ui/link.tsx';
import { paths } from '../app/router.ts';
import { useEditorStore } from './editor-context.tsx';
import { shortcutList } from './use-shortcuts.ts';

export interface ToolbarActions {
  save: () => void;
  check: () => void;
  publish: () => void;
  layout: () => void;
  download: () => void;
  importFile: (file: File) => void;
  openVersions: () => void;
  openRun: () => void;
}

export function Toolbar({ actions, latestVersion }: { actions: ToolbarActions; latestVersion: number | undefined }) {
  const workflowId = useEditorStore((s) => s.workflowId);
  const name = useEditorStore((s) => s.name);
  const dirty = useEditorStore((s) => s.dirty);
  const canUndo = useEditorStore((s) => s.past.length > 0);
  const canRedo = useEditorStore((s) => s.future.length > 0);
  const undo = useEditorStore((s) => s.undo);
  const redo = useEditorStore((s) => s.redo);
  const problems = useEditorStore((s) => new Set([...s.clientErrors, ...s.serverErrors].map((e) => e.message)).size);
  const fileInput = useRef<HTMLInputElement>(null);
  const [help, setHelp] = useState(false);

  return (
    <div className="toolbar" role="toolbar" aria-label="Workflow actions">
      <div className="toolbar-title">
        <Link href={paths.workflows} className="muted small">
          Workflows
        </Link>
        <span className="muted small" aria-hidden="true">
          /
        </span>
        <strong className="user-text">{name ? displayText(name) : 'Untitled'}</strong>
        <span className={dirty ? 'save-state is-dirty' : 'save-state'} role="status">
          {dirty ? 'Unsaved changes' : 'Saved'}
        </span>
        <span className="muted small">{latestVersion ? `published v${latestVersion}` : 'not published'}</span>
      </div>
      <div className="toolbar-group">
        <button
          type="button"
          className="btn btn-quiet"
          onClick={undo}
          disabled={!canUndo}
          aria-label="Undo"
          title="Undo (Ctrl Z)"
        >
          ↶
        </button>
        <button
          type="button"
          className="btn btn-quiet"
          onClick={redo}
          disabled={!canRedo}
          aria-label="Redo"
          title="Redo (Ctrl Shift Z)"
        >
          ↷
        </button>
        <button type="button" className="btn btn-quiet" onClick={actions.layout} title="Auto-layout (Alt L)">
          Tidy up
        </button>
        <button type="button" className="btn btn-quiet" onClick={actions.download}>
          Export
        </button>
        <button type="button" className="btn btn-quiet" onClick={() => fileInput.current?.click()}>
          Import
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          className="visually-hidden"
          aria-label="Import a workflow file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) actions.importFile(file);
            e.target.value = '';
          }}
        />
        <button type="button" className="btn btn-quiet" onClick={actions.openVersions}>
          Versions
        </button>
        <Link href={paths.runs(workflowId)} className="btn btn-quiet">
          Runs
        </Link>
        <button
          type="button"
          className="btn btn-quiet"
          aria-expanded={help}
          onClick={() => setHelp(!help)}
          aria-label="Keyboard shortcuts"
        >
          ?
        </button>
      </div>
      <div className="toolbar-group">
        <button type="button" className="btn" onClick={actions.check} title="Validate on the server">
          Check{problems > 0 ? ` (${problems})` : ''}
        </button>
        <button type="button" className="btn" onClick={actions.save} title="Save the draft (Ctrl S)">
          Save
        </button>
        <button type="button" className="btn" onClick={actions.publish}>
          Publish
        </button>
        <button type="button" className="btn btn-primary" onClick={actions.openRun}>
          Run…
        </button>
      </div>
      {help ? (
        <div className="shortcut-help" role="dialog" aria-label="Keyboard shortcuts">
          <table>
            <tbody>
              {shortcutList.map(([keys, what]) => (
                <tr key={keys}>
                  <th scope="row">{keys}</th>
                  <td>{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
