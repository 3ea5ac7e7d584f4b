/**
 * The workbench's only way to the service: GraphQL documents POSTed to `graphql` (relative to the page, so a path
 * prefix in front of the service works), and the runProgress subscription over graphql-ws on the same path.
 * Every error the API reports comes back as an {@link ApiError} carrying `extensions.code`, so a view can show it
 * next to the input that caused it.
 */
import { createClient, type Client } from 'graphql-ws';

/** localStorage key of the optional API key (deployments with MOLNAV_AUTH_MUTATIONS=required). */
const API_KEY_STORAGE = 'molnav.apiKey';

/** An error answered by the API (first GraphQL error), or a transport failure (`code` NETWORK / HTTP_<status>). */
export class ApiError extends Error {
  constructor(
    message: string,
    /** `extensions.code` (INVALID_SMILES, UNKNOWN_MOLECULE_NAME, LIMIT_EXCEEDED, ...), NETWORK or HTTP_<status>. */
    readonly code: string,
    /** The error's other extensions (e.g. `problems` of INVALID_OBJECTIVE, `retryAfter` of RATE_LIMITED). */
    readonly extensions: Readonly<Record<string, unknown>> = {},
    /** Every error of the response, in order (the first is this one). */
    readonly all: readonly { message: string; code: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** True for the error an aborted request (a Cancel button) raises. */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** The stored API key, or '' when none is set. */
export function apiKey(): string {
  try {
    return localStorage.getItem(API_KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
}

/** Stores (or, with '', forgets) the API key; the next request and subscription use it. */
export function setApiKey(key: string): void {
  try {
    if (key) localStorage.setItem(API_KEY_STORAGE, key);
    else localStorage.removeItem(API_KEY_STORAGE);
  } catch {
    // storage disabled: the key lasts as long as the page (kept below)
  }
  memoryKey = key;
  resetSubscriptions();
}

let memoryKey: string | null = null;
const currentKey = (): string => memoryKey ?? apiKey();

/** URL of a service path relative to the page (`graphql`, `libraries/<id>/export?...`). */
export function serviceUrl(path: string): string {
  return new URL(path, document.baseURI).toString();
}

/** Headers of every request: JSON, and `Authorization: Bearer <key>` when a key is set. */
export function authHeaders(): Record<string, string> {
  const key = currentKey().trim();
  return key ? { authorization: `Bearer ${key}` } : {};
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * Runs one GraphQL document. Resolves with `data`; rejects with an ApiError (the response's first error, with its
 * code) or the AbortError of `signal`.
 */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(serviceUrl('graphql'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders() },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError('The service cannot be reached (network error).', 'NETWORK');
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await res.json()) as GraphQLResponse<T>;
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(`The service answered HTTP ${res.status} without a GraphQL response.`, `HTTP_${res.status}`);
  }
  if (body.errors && body.errors.length > 0) {
    const all = body.errors.map((e) => ({ message: e.message, code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') }));
    const { code: _code, ...rest } = body.errors[0].extensions ?? {};
    throw new ApiError(all[0].message, all[0].code, rest, all);
  }
  if (!body.data) throw new ApiError(`The service answered HTTP ${res.status} without data.`, `HTTP_${res.status}`);
  return body.data;
}

let wsClient: Client | null = null;

function subscriptions(): Client {
  if (!wsClient) {
    const url = new URL('graphql', document.baseURI);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    wsClient = createClient({
      url: url.toString(),
      lazy: true,
      retryAttempts: 2,
      // Browsers cannot set headers on a WebSocket: the key travels in the connection parameters.
      connectionParams: () => authHeaders(),
    });
  }
  return wsClient;
}

function resetSubscriptions(): void {
  void wsClient?.dispose();
  wsClient = null;
}

/** Handlers of {@link subscribe}. */
export interface SubscriptionHandlers<T> {
  next(data: T): void;
  error(err: ApiError): void;
  complete(): void;
}

/** Starts a subscription over graphql-ws; returns the function that ends it. */
export function subscribe<T>(query: string, variables: Record<string, unknown>, handlers: SubscriptionHandlers<T>): () => void {
  return subscriptions().subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors && result.errors.length > 0) {
          const e = result.errors[0];
          handlers.error(new ApiError(e.message, String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), e.extensions ?? {}));
        } else if (result.data) {
          handlers.next(result.data as T);
        }
      },
      error: (err: unknown) => {
        if (Array.isArray(err) && err.length > 0) {
          const e = err[0] as { message?: string; extensions?: Record<string, unknown> };
          handlers.error(new ApiError(e.message ?? 'subscription failed', String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), e.extensions ?? {}));
        } else {
          handlers.error(new ApiError('The live connection (WebSocket) failed.', 'NETWORK'));
        }
      },
      complete: () => handlers.complete(),
    },
  );
}

/** A readable one-line message of any error (ApiError messages come from the API). */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'RATE_LIMITED' && typeof err.extensions.retryAfter === 'number') {
      return `${err.message} (try again in ${err.extensions.retryAfter} s)`;
    }
    return err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
