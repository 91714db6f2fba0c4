/** A GraphQL-over-HTTP call as a third party makes it: the tenant (and admin token) in headers. */
export const graphqlClient =
  (apiUrl: string, adminToken?: string) =>
  async <T>(tenant: string, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await fetch(`${apiUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tenant-id': tenant,
        ...(adminToken && { 'x-admin-token': adminToken }),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`GraphQL errors: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data as T;
  };
