import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { ApiKeyScope } from '../store';
import { AuthService } from './auth.service';
import { ForbiddenError, UnauthenticatedError } from './errors';
import { requestInfo } from './request-context';

/**
 * Global guard of GraphQL root fields (HTTP and graphql-ws subscriptions) and REST requests (GET/HEAD/OPTIONS are
 * reads, other methods writes; health probes and /metrics stay open: OPEN_REST_PATHS).
 *
 * - Mutations need a key with the `write` scope when MOLNAV_AUTH_MUTATIONS=required; queries and subscriptions a key
 *   with `read` when MOLNAV_AUTH_QUERIES=required. A missing key there is UNAUTHENTICATED, a key without the scope
 *   FORBIDDEN.
 * - A key that is presented is always checked, also where access is open: a malformed, unknown, wrong or revoked key
 *   is UNAUTHENTICATED rather than silently ignored.
 * The key is checked once per request (AuthService.authenticateOnce), however many root fields it has.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Logs the access policy once at startup, with a warning when mutations are open by default. */
  onModuleInit(): void {
    const s = this.config.security;
    if (s.authMutations === 'open') {
      const why = s.authMutationsDefaulted ? 'MOLNAV_AUTH_MUTATIONS is not set and NODE_ENV is not production' : 'MOLNAV_AUTH_MUTATIONS=open';
      this.logger.warn(`Mutations are open to anyone without an API key (${why}); set MOLNAV_AUTH_MUTATIONS=required to require keys with the write scope`);
    }
    this.logger.log(`API keys: mutations ${s.authMutations}, queries and subscriptions ${s.authQueries}`);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const info = requestInfo(context);
    if (!info) return true;
    const s = this.config.security;
    const scope: ApiKeyScope = info.operation === 'mutation' ? 'write' : 'read';
    const required = (info.operation === 'mutation' ? s.authMutations : s.authQueries) === 'required';
    if (!info.apiKey) {
      if (!required) return true;
      const what = info.transport === 'rest' ? `${info.fieldName}` : info.operation === 'mutation' ? 'mutations' : `${info.operation}s`;
      const how = info.transport === 'ws' ? 'in the connectionParams' : 'as Authorization: Bearer <key> or x-api-key: <key>';
      throw new UnauthenticatedError(`an API key is required for ${what}: send it ${how}`);
    }
    const principal = await this.auth.authenticateOnce(info.owner, info.apiKey);
    if (required && !principal.scopes.includes(scope)) throw new ForbiddenError(scope);
    return true;
  }
}
