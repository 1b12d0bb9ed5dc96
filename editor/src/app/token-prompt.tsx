import { useState } from 'react';
import { saveToken } from '../api/token.ts';

/** The API needs a bearer token; `trellis up` prints one at first start. It stays in this browser. */
export function TokenPrompt() {
  const [value, setValue] = useState('');
  return (
    <section className="token-prompt panel" aria-labelledby="token-title">
      <h2 id="token-title">Connect to Trellis</h2>
      <p>
        Paste an API token. <code>trellis up</code> prints one the first time it starts (it is also in{' '}
        <code>data/secrets/cli-token.json</code>); more can be made with <code>POST /api/tokens</code>. The token is
        kept in this browser only.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) saveToken(value.trim());
        }}
      >
        <label className="field">
          <span className="field-label">API token</span>
          <input type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={!value.trim()}>
          Connect
        </button>
      </form>
    </section>
  );
}
