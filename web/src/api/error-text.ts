/** The parts of urql's CombinedError this reads (structural, so it is testable without urql). */
export interface ApiErrorLike {
  readonly message: string;
  readonly graphQLErrors: readonly { readonly message: string; readonly extensions?: Record<string, unknown> }[];
}

/** The first error code the API answered (`extensions.code`), if any. */
export const errorCode = (error: ApiErrorLike | null | undefined): string | undefined => {
  for (const graphQLError of error?.graphQLErrors ?? []) {
    const code = graphQLError.extensions?.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
};

export const isUnauthenticated = (error: ApiErrorLike | null | undefined): boolean =>
  errorCode(error) === 'UNAUTHENTICATED';

/** A plain sentence for a person: refusals say what happened, other errors keep the API's message. */
export const errorText = (error: ApiErrorLike): string => {
  switch (errorCode(error)) {
    case 'FORBIDDEN':
      return 'Your role does not allow this.';
    case 'UNAUTHENTICATED':
      return 'You are not signed in, or your key is no longer valid: sign in again.';
    case 'RATE_LIMITED':
      return 'Too many requests: wait a moment and try again.';
    default:
      return error.graphQLErrors[0]?.message ?? error.message;
  }
};
