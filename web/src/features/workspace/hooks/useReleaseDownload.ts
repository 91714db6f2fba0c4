import { useCallback, useEffect, useRef, useState } from 'react';
import { requestHeaders } from '../../../session/credentials';
import { useSession } from '../../../session/SessionProvider';
import { checksumMatches, sha256Hex } from '../digest';
import { downloadErrorText, downloadFileName } from '../release-download';

export type DownloadState =
  | { readonly status: 'idle' }
  | { readonly status: 'downloading' }
  | { readonly status: 'done'; readonly fileName: string; readonly sha256: string; readonly verified: boolean }
  | { readonly status: 'failed'; readonly error: string };

export interface ReleaseFile {
  /** The API's REST path (`/workspaces/<id>/bundle`), proxied like `/graphql`. */
  readonly url: string;
  readonly sha256: string;
  readonly fallbackName: string;
}

/** Object URLs are revoked once the browser has surely started saving the file. */
const revokeAfterMs = 60_000;

const saveBlob = (blob: Blob, fileName: string): void => {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), revokeAfterMs);
};

/**
 * Downloads a release file with the tab's credential (a plain link would send no Authorization
 * header), checks its SHA-256 against the recorded one, and saves it through an object URL.
 * A file whose checksum differs is still saved, and said to differ.
 */
export const useReleaseDownload = ({ url, sha256, fallbackName }: ReleaseFile) => {
  const { credential } = useSession();
  const [state, setState] = useState<DownloadState>({ status: 'idle' });
  const aborter = useRef<AbortController | null>(null);
  useEffect(() => () => aborter.current?.abort(), []);

  const download = useCallback(async () => {
    if (!credential) return;
    aborter.current?.abort();
    const controller = new AbortController();
    aborter.current = controller;
    setState({ status: 'downloading' });
    try {
      const response = await fetch(url, { headers: requestHeaders(credential), signal: controller.signal });
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => null);
        setState({ status: 'failed', error: downloadErrorText(response.status, body) });
        return;
      }
      const blob = await response.blob();
      const actual = await sha256Hex(await blob.arrayBuffer());
      const fileName = downloadFileName(response.headers.get('content-disposition'), fallbackName);
      if (controller.signal.aborted) return;
      saveBlob(blob, fileName);
      setState({ status: 'done', fileName, sha256: actual, verified: checksumMatches(sha256, actual) });
    } catch (error) {
      if (controller.signal.aborted) return;
      setState({ status: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  }, [credential, url, sha256, fallbackName]);

  return { state, download };
};
