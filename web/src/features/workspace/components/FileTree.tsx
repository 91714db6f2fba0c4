import { fileCount, type TreeFolder } from '../file-tree';

export interface FileTreeProps {
  readonly tree: TreeFolder;
  readonly selected: string | null;
  readonly onSelect: (path: string) => void;
}

const Folder = ({ folder, selected, onSelect }: { folder: TreeFolder } & Omit<FileTreeProps, 'tree'>) => (
  <ul className="file-tree-list">
    {folder.folders.map((child) => (
      <li key={child.path}>
        <details open>
          <summary className="file-tree-folder">
            {child.name}/ <span className="file-tree-count">{fileCount(child)}</span>
          </summary>
          <Folder folder={child} selected={selected} onSelect={onSelect} />
        </details>
      </li>
    ))}
    {folder.files.map((file) => (
      <li key={file.path}>
        <button
          type="button"
          className="file-tree-file"
          aria-current={file.path === selected ? 'true' : undefined}
          data-testid={`workspace-file-${file.path}`}
          onClick={() => onSelect(file.path)}
        >
          {file.name}
        </button>
      </li>
    ))}
  </ul>
);

/** main's files as folders (open) and files (buttons that open them in the viewer). */
export const FileTree = ({ tree, selected, onSelect }: FileTreeProps) => (
  <nav className="file-tree" aria-label="Files of main">
    <Folder folder={tree} selected={selected} onSelect={onSelect} />
  </nav>
);
