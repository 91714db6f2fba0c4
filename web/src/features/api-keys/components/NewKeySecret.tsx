import { useState } from 'react';
import '../../../ui/notice.css';

export interface NewKeySecretProps {
  readonly name: string;
  readonly secret: string;
  readonly onDismiss: () => void;
}

/** A new key's secret, shown once: copy it now, it will not be shown again. */
export const NewKeySecret = ({ name, secret, onDismiss }: NewKeySecretProps) => {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(secret).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <div className="notice notice-ok new-key" data-testid="new-key" role="status">
      <p>
        Key <strong>{name}</strong> created. Copy its secret now: <strong>it will not be shown again.</strong>
      </p>
      <p className="inline-form">
        <code className="new-key-secret" data-testid="new-key-secret">
          {secret}
        </code>
        <button type="button" className="button button-small" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button button-small button-quiet" onClick={onDismiss}>
          Done
        </button>
      </p>
      {copied === 'failed' ? (
        <p className="field-error">The browser refused the clipboard: select and copy it.</p>
      ) : null}
    </div>
  );
};
