export type WorkspaceFileErrorCode =
  | 'not_found'
  | 'not_a_file'
  | 'binary'
  | 'too_large'
  | 'patch_invalid'
  | 'patch_failed'
  | 'too_many_files';

/** A file operation an agent asked for that cannot be done as asked. Its message is safe to show to the agent. */
export class WorkspaceFileError extends Error {
  readonly code: WorkspaceFileErrorCode;
  /** The workspace-relative file concerned, when there is one. */
  readonly file: string | undefined;

  constructor(code: WorkspaceFileErrorCode, message: string, file?: string) {
    super(message);
    this.name = 'WorkspaceFileError';
    this.code = code;
    this.file = file;
  }
}

export const isWorkspaceFileError = (error: unknown): error is WorkspaceFileError =>
  error instanceof WorkspaceFileError;
