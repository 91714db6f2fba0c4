export type WorkspaceErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'broken';

/** A workspace operation refused or impossible as asked. Its message names ids, refs and files, never secrets. */
export class WorkspaceError extends Error {
  readonly code: WorkspaceErrorCode;

  constructor(code: WorkspaceErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'WorkspaceError';
    this.code = code;
  }
}

export const isWorkspaceError = (error: unknown): error is WorkspaceError => error instanceof WorkspaceError;
