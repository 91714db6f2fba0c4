import { describe, expect, it } from 'vitest';
import { checksumMatches, hexOf, sha256Hex } from './digest';

describe('digests in hex', () => {
  it('writes each byte as two lowercase hex digits', () => {
    expect(hexOf(new Uint8Array([0, 1, 15, 16, 171, 255]))).toBe('00010f10abff');
    expect(hexOf(new ArrayBuffer(0))).toBe('');
  });

  it('computes the SHA-256 of the bytes', async () => {
    const abc = new TextEncoder().encode('abc');
    await expect(sha256Hex(abc.buffer)).resolves.toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('accepts a checksum in either letter case and refuses a different one', () => {
    expect(checksumMatches('BA78', 'ba78')).toBe(true);
    expect(checksumMatches('ba78', 'ba79')).toBe(false);
  });
});
