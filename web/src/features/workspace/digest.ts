/** Bytes as lowercase hexadecimal, two digits a byte (how the API writes SHA-256 checksums). */
export const hexOf = (bytes: ArrayBuffer | Uint8Array): string =>
  Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');

/** The SHA-256 of the data, in hex (Web Crypto: browsers and Node alike). */
export const sha256Hex = async (data: ArrayBuffer): Promise<string> =>
  hexOf(await crypto.subtle.digest('SHA-256', data));

/** Whether a downloaded file's checksum is the recorded one (hex, in any letter case). */
export const checksumMatches = (expected: string, actual: string): boolean =>
  expected.trim().toLowerCase() === actual.trim().toLowerCase();
