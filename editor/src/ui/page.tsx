import type { ReactNode } from 'react';

/** The frame of every page but the editor: a title, actions on the right, the content below. */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-header">
        <h2 id="page-title">{title}</h2>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

export function LoadState({ loading, error }: { loading: boolean; error: string | undefined }) {
  if (error)
    return (
      <p role="alert" className="error-text">
        {error}
      </p>
    );
  if (loading) return <p className="muted">Loading…</p>;
  return null;
}
