import { Empty } from '../../../ui/StateMessage';
import { StatusBadge } from '../../../ui/StatusBadge';
import './TaskLinks.css';

export interface TaskLink {
  readonly id: string;
  readonly description: string;
  readonly status: string;
}

/** Neighbouring tasks as buttons that move the selection to them. */
export const TaskLinks = ({
  links,
  empty,
  onSelect,
}: {
  links: readonly TaskLink[];
  empty: string;
  onSelect: (id: string) => void;
}) =>
  links.length === 0 ? (
    <Empty>{empty}</Empty>
  ) : (
    <ul className="task-links">
      {links.map((link) => (
        <li key={link.id}>
          <button type="button" className="link-button" onClick={() => onSelect(link.id)}>
            {link.description}
          </button>
          <StatusBadge status={link.status} />
        </li>
      ))}
    </ul>
  );
