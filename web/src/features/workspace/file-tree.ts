export interface TreeFile {
  readonly name: string;
  /** The whole path in the repository, as the API names it (`src/cli.js`). */
  readonly path: string;
}

export interface TreeFolder {
  readonly name: string;
  /** `''` for the root, else the folder's path (`src/lib`). */
  readonly path: string;
  readonly folders: readonly TreeFolder[];
  readonly files: readonly TreeFile[];
}

interface MutableFolder {
  name: string;
  path: string;
  folders: Map<string, MutableFolder>;
  files: TreeFile[];
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const freeze = (folder: MutableFolder): TreeFolder => ({
  name: folder.name,
  path: folder.path,
  folders: [...folder.folders.values()].map(freeze).sort(byName),
  files: [...folder.files].sort(byName),
});

/**
 * main's file paths as nested folders, each folder's subfolders then files in name order.
 * Empty segments (`a//b`, a leading or trailing `/`) are skipped, and a path given twice is listed once.
 */
export const buildFileTree = (paths: readonly string[]): TreeFolder => {
  const root: MutableFolder = { name: '', path: '', folders: new Map(), files: [] };
  const seen = new Set<string>();
  for (const raw of paths) {
    const segments = raw.split('/').filter((segment) => segment !== '');
    const fileName = segments.pop();
    if (fileName === undefined) continue;
    const path = [...segments, fileName].join('/');
    if (seen.has(path)) continue;
    seen.add(path);
    let folder = root;
    for (const segment of segments) {
      let child = folder.folders.get(segment);
      if (!child) {
        child = {
          name: segment,
          path: folder.path ? `${folder.path}/${segment}` : segment,
          folders: new Map(),
          files: [],
        };
        folder.folders.set(segment, child);
      }
      folder = child;
    }
    folder.files.push({ name: fileName, path });
  }
  return freeze(root);
};

/** How many files a folder holds, its subfolders included. */
export const fileCount = (folder: TreeFolder): number =>
  folder.files.length + folder.folders.reduce((sum, child) => sum + fileCount(child), 0);
