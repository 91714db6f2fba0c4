import { describe, expect, it } from 'vitest';
import { errorCode, errorText, isUnauthenticated } from './error-text';

const answered = (code: string | undefined, message = 'raw message') => ({
  message: `[GraphQL] ${message}`,
  graphQLErrors: [{ message, extensions: code ? { code } : {} }],
});

describe('API errors shown to a person', () => {
  it('say plainly that the role does not allow a FORBIDDEN operation', () => {
    expect(errorText(answered('FORBIDDEN'))).toBe('Your role does not allow this.');
  });

  it('ask to sign in again on UNAUTHENTICATED', () => {
    expect(errorText(answered('UNAUTHENTICATED'))).toMatch(/sign in again/);
    expect(isUnauthenticated(answered('UNAUTHENTICATED'))).toBe(true);
    expect(isUnauthenticated(answered('FORBIDDEN'))).toBe(false);
  });

  it("keep the API's message for other errors, and the transport's when there is none", () => {
    expect(errorText(answered('BAD_USER_INPUT', 'name is required'))).toBe('name is required');
    expect(errorText({ message: '[Network] Failed to fetch', graphQLErrors: [] })).toBe('[Network] Failed to fetch');
    expect(errorCode({ message: 'x', graphQLErrors: [] })).toBeUndefined();
  });
});
