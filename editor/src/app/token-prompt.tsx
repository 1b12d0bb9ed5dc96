import { useState } from 'react';
import { signIn } from '../api/session.ts';

/** Sign-in with an API token (`trellis up` prints one at first start); the browser keeps a session cookie, not the token. */
export function TokenPrompt() {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <section className="token-prompt panel" aria-labelledby="token-title">
      <h2 id="token-title">Connect to Trellis</h2>
      <p>
        Paste an API token. <code>trellis up</code> prints one the first time it starts (it is also in{' '}
        <code>data/secrets/cli-token.json</code>); more can be made with <code>POST /api/tokens</code>. The token is not
        kept: this browser gets a session for 12 hours, until you sign out.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!value.trim()) return;
          setBusy(true);
          void signIn(value.trim()).then((refused) => {
            setBusy(false);
            setProblem(refused);
            if (!refused) setValue('');
          });
        }}
      >
        <label className="field">
          <span className="field-label">API token</span>
          <input
            type="password"
            autoComplete="off"
            value={value}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'token-problem' : undefined}
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
        {problem ? (
          <p id="token-problem" className="error-text" role="alert">
            {problem}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={!value.trim() || busy}>
          Connect
        </button>
      </form>
    </section>
  );
}
