import { describe, expect, it } from 'vitest';
import { buildFileTree, fileCount } from './file-tree';

describe('the file tree of main', () => {
  it('nests paths into folders, subfolders before files, each in name order', () => {
    const tree = buildFileTree(['src/z.js', 'README.md', 'src/lib/a.js', 'package.json', 'src/b.js']);
    expect(tree.files.map((file) => file.name)).toEqual(['README.md', 'package.json']);
    expect(tree.folders.map((folder) => folder.path)).toEqual(['src']);
    const src = tree.folders[0];
    expect(src?.folders.map((folder) => folder.path)).toEqual(['src/lib']);
    expect(src?.files.map((file) => file.path)).toEqual(['src/b.js', 'src/z.js']);
    expect(src?.folders[0]?.files).toEqual([{ name: 'a.js', path: 'src/lib/a.js' }]);
  });

  it('skips empty segments and lists a path given twice once', () => {
    const tree = buildFileTree(['/a//b.txt', 'a/b.txt', '', '/']);
    expect(tree.files).toEqual([]);
    expect(tree.folders).toHaveLength(1);
    expect(tree.folders[0]?.files).toEqual([{ name: 'b.txt', path: 'a/b.txt' }]);
  });

  it('counts the files of a folder and of its subfolders', () => {
    expect(fileCount(buildFileTree(['a', 'd/b', 'd/e/c']))).toBe(3);
    expect(fileCount(buildFileTree([]))).toBe(0);
  });
});
