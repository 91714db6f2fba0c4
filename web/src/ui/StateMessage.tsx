import type { ReactNode } from 'react';
import './StateMessage.css';

export const Loading = ({ what }: { what: string }) => (
  <p className="state state-loading" role="status">
    <span className="spinner" aria-hidden="true" /> Loading {what}…
  </p>
);

export const ErrorMessage = ({ title, error, onRetry }: { title: string; error: string; onRetry?: () => void }) => (
  <div className="state state-error" role="alert">
    <strong>{title}</strong>
    <span>{error}</span>
    {onRetry ? (
      <button type="button" className="button button-small" onClick={onRetry}>
        Retry
      </button>
    ) : null}
  </div>
);

export const Empty = ({ children }: { children: ReactNode }) => <p className="state state-empty">{children}</p>;
