import { useMemo, useState } from 'react';
import { Empty } from '../../../ui/StateMessage';
import { buildFileTree } from '../file-tree';
import { FileTree } from './FileTree';
import { FileViewer } from './FileViewer';

export interface WorkspaceFilesProps {
  readonly goalId: string;
  readonly files: readonly string[];
  readonly mainCommit: string | null;
}

/** The file tree of main beside the file opened in it. */
export const WorkspaceFiles = ({ goalId, files, mainCommit }: WorkspaceFilesProps) => {
  const tree = useMemo(() => buildFileTree(files), [files]);
  const [selected, setSelected] = useState<string | null>(null);
  if (files.length === 0) return <Empty>main has no files yet.</Empty>;
  return (
    <div className="workspace-files">
      <FileTree tree={tree} selected={selected} onSelect={setSelected} />
      {selected ? (
        <FileViewer goalId={goalId} path={selected} mainCommit={mainCommit} />
      ) : (
        <Empty>Choose a file to read it.</Empty>
      )}
    </div>
  );
};
