import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, HttpStatus, Inject, Res } from '@nestjs/common';
import { MetricsService } from './metrics.service';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions } from './observability.options';

/** The response calls the controller makes (Express's `Response`, without depending on its types). */
interface MetricsResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

/**
 * True when `authorization` is `Bearer <token>` for the configured token, or no token is configured. Compares SHA-256
 * digests in constant time, so neither the token nor its length leaks through timing.
 */
export function metricsAuthorized(token: string | null, authorization: string | undefined): boolean {
  if (token === null) return true;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]), digest(token));
}

/**
 * `GET /metrics`: Prometheus text exposition (content type `text/plain; version=0.0.4`). When MOLNAV_METRICS_TOKEN
 * is set the scraper must send `Authorization: Bearer <token>`; otherwise 401 with `WWW-Authenticate: Bearer`.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) res: MetricsResponse): Promise<string> {
    // Statuses are set here rather than thrown: the global GraphQL pass-through filter only answers GraphQL requests.
    if (!metricsAuthorized(this.options.metricsToken, authorization)) {
      res.status(HttpStatus.UNAUTHORIZED);
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      return 'unauthorized: send Authorization: Bearer <MOLNAV_METRICS_TOKEN>\n';
    }
    const { contentType, body } = await this.metrics.render();
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    return body;
  }
}
