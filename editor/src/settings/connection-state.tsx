// Whether a direction of an account works, as a labelled pill with the last error beside it.
import type { MailConnectionState } from './mail-types.ts';

const stateWords: Record<MailConnectionState, string> = {
  ok: 'ok',
  failing: 'failing',
  unknown: 'not tested yet',
  disabled: 'disabled',
};

export function ConnectionState({
  configured,
  state,
  error,
}: {
  configured: boolean;
  state: MailConnectionState;
  error: string | undefined;
}) {
  if (!configured) return <span className="muted small">not set up</span>;
  return (
    <div className="mail-state">
      <span className={`badge mail-badge-${state}`}>{stateWords[state]}</span>
      {state === 'failing' && error ? (
        <span className="mail-state-error small wrap" title={error}>
          {error}
        </span>
      ) : null}
    </div>
  );
}
