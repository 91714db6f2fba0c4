import { describe, expect, it } from 'vitest';
import { classifyDiffLine, diffLines, diffStat } from './diff-lines';

const diff = `diff --git a/src/cli.js b/src/cli.js
new file mode 100644
index 0000000..e69de29
--- /dev/null
+++ b/src/cli.js
@@ -0,0 +1,3 @@
+const a = 1;
 unchanged
-removed
\\ No newline at end of file
`;

describe('diff lines', () => {
  it('tells file headers, hunks, added, removed, context and git meta lines apart', () => {
    expect(diffLines(diff).map((line) => line.kind)).toEqual([
      'file',
      'meta',
      'meta',
      'file',
      'file',
      'hunk',
      'added',
      'context',
      'removed',
      'meta',
    ]);
  });

  it('keeps the text of each line and adds no line for the trailing newline', () => {
    const lines = diffLines('+x\n-y\n');
    expect(lines).toEqual([
      { number: 1, kind: 'added', text: '+x' },
      { number: 2, kind: 'removed', text: '-y' },
    ]);
  });

  it('reads an added line that starts with "++" as added, not as a header', () => {
    expect(classifyDiffLine('++i;')).toBe('added');
    expect(classifyDiffLine('--i;')).toBe('removed');
    expect(classifyDiffLine('')).toBe('context');
  });

  it('counts added and removed lines', () => {
    expect(diffStat(diffLines(diff))).toEqual({ added: 1, removed: 1 });
  });
});
