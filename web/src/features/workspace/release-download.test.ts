import { describe, expect, it } from 'vitest';
import { downloadErrorText, downloadFileName } from './release-download';

describe('the release download', () => {
  it('takes the file name the answer gives, encoded or plain', () => {
    expect(downloadFileName(`attachment; filename="v1.tar.gz"; filename*=UTF-8''goal%20v1.tar.gz`, 'x')).toBe(
      'goal v1.tar.gz',
    );
    expect(downloadFileName('attachment; filename="v1.bundle"', 'x')).toBe('v1.bundle');
    expect(downloadFileName('attachment; filename=v1.bundle', 'x')).toBe('v1.bundle');
  });

  it('falls back to its own name when the answer gives none', () => {
    expect(downloadFileName(null, 'fallback.tar.gz')).toBe('fallback.tar.gz');
    expect(downloadFileName('attachment', 'fallback.tar.gz')).toBe('fallback.tar.gz');
  });

  it("says the API's error message, or the status when there is none", () => {
    expect(downloadErrorText(404, { error: { code: 'NOT_FOUND', message: 'No release yet' } })).toBe('No release yet');
    expect(downloadErrorText(502, null)).toBe('The download failed (HTTP 502).');
    expect(downloadErrorText(500, { error: 'x' })).toBe('The download failed (HTTP 500).');
  });
});
