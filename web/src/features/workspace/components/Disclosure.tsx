import { type ReactNode, useState } from 'react';

export interface DisclosureProps {
  readonly summary: ReactNode;
  readonly className?: string;
  readonly testId?: string;
  /** Rendered only while open (diffs and outputs can be long: closed ones cost nothing). */
  readonly children: () => ReactNode;
}

/** A `<details>` that renders its content only while open. */
export const Disclosure = ({ summary, className, testId, children }: DisclosureProps) => {
  const [open, setOpen] = useState(false);
  return (
    <details className={className} data-testid={testId} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{summary}</summary>
      {open ? children() : null}
    </details>
  );
};
