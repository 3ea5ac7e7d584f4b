/** A small GraphQL client for the e2e specs: posts to /graphql of a Nest application (not a spec file). */
import { INestApplication } from '@nestjs/common';
import request from 'supertest';

export interface GqlResponse<T = any> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** `gql(query, variables)` and `errorCode(query, variables)` bound to the app that `getApp` returns when called. */
export function graphqlClient(getApp: () => INestApplication) {
  async function gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<GqlResponse<T>> {
    const res = await request(getApp().getHttpServer()).post('/graphql').send({ query, variables });
    return res.body as GqlResponse<T>;
  }

  /** The first error's extensions.code; fails the test if the response has no errors. */
  async function errorCode(query: string, variables: Record<string, unknown> = {}): Promise<string | undefined> {
    const body = await gql(query, variables);
    expect(body.errors).toBeDefined();
    return body.errors?.[0]?.extensions?.code;
  }

  return { gql, errorCode };
}
