import { type ReactNode, useId } from 'react';
import './Panel.css';

export interface PanelProps {
  readonly title: string;
  readonly actions?: ReactNode;
  readonly className?: string;
  readonly testId?: string;
  readonly children: ReactNode;
}

/** A titled card; its heading labels the region for assistive technology. */
export const Panel = ({ title, actions, className, testId, children }: PanelProps) => {
  const headingId = useId();
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={headingId} data-testid={testId}>
      <header className="panel-header">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
};
