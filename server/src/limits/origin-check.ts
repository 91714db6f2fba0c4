/** `scheme://host[:port]` of an origin, lower-cased, default ports dropped; null when it is not one. */
const normalise = (origin: string): string | null => {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
};

/**
 * Which browser origins may open the WebSocket: those of `ALLOWED_ORIGINS` and the API's own (the
 * origin whose host is the one the request was sent to). A request without an Origin header comes
 * from a script or server, not a page a visitor was lured to, and is allowed; `Origin: null`
 * (sandboxed frames, file pages) is not.
 */
export const createOriginCheck = (allowedOrigins: readonly string[]) => {
  const allowed = new Set(allowedOrigins.map(normalise).filter((origin): origin is string => origin !== null));
  return (origin: string | undefined, host: string | undefined): boolean => {
    if (origin === undefined) return true;
    const normalised = normalise(origin);
    if (normalised === null) return false;
    if (allowed.has(normalised)) return true;
    return host !== undefined && new URL(normalised).host === host.toLowerCase();
  };
};
