/** The file name a download answer names (`Content-Disposition`), else the fallback. */
export const downloadFileName = (contentDisposition: string | null, fallback: string): string => {
  if (!contentDisposition) return fallback;
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(contentDisposition)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded.trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(contentDisposition);
  const name = (plain?.[1] ?? plain?.[2])?.trim();
  return name ? name : fallback;
};

/** A sentence for a refused download: the API's `{ error: { message } }` if it sent one, else the status. */
export const downloadErrorText = (status: number, body: unknown): string => {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const { error } = body as { error: unknown };
    if (typeof error === 'object' && error !== null && 'message' in error) {
      const { message } = error as { message: unknown };
      if (typeof message === 'string' && message) return message;
    }
  }
  return `The download failed (HTTP ${status}).`;
};
