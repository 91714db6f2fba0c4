import type { Readable } from 'node:stream';

/** Keeps the first `maxBytes` of a stream and counts the rest, so a flood of output costs no memory. */
export const boundedOutput = (stream: Readable, maxBytes: number) => {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = 0;
  stream.on('data', (chunk: Buffer) => {
    const room = maxBytes - kept;
    if (room > 0) {
      const part = chunk.subarray(0, room);
      chunks.push(part);
      kept += part.length;
    }
    dropped += Math.max(0, chunk.length - Math.max(0, room));
  });
  return {
    text: () => Buffer.concat(chunks).toString('utf8'),
    truncated: () => dropped > 0,
  };
};
