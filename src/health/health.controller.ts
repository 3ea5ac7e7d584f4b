import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import { ChemService } from '../chem/chem.service';
import { ModelService } from '../model/model.service';
import { StoreService } from '../store/store.service';

/** What readiness checked: each dependency 'ok' or the reason it is not. */
export interface ReadinessReport {
  status: 'ready' | 'not ready';
  checks: { database: string; model: string; chemistry: string };
}

/**
 * Health endpoints for orchestrators (REST, outside GraphQL):
 * - `GET /health/live`: the process answers HTTP (200 `{ status: 'ok' }`);
 * - `GET /health/ready`: the database answers a query, the ONNX model is loaded and RDKit is initialised
 *   (200 with every check 'ok', else 503 with the failing checks).
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly store: StoreService,
    private readonly model: ModelService,
    private readonly chem: ChemService,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok'; uptimeSeconds: number } {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<ReadinessReport> {
    const database = (await this.store.ping()) ? 'ok' : 'database does not answer';
    const model = this.check(() => this.model.modelVersion);
    const chemistry = this.check(() => this.chem.chem.rdkitVersion);
    const report: ReadinessReport = {
      status: database === 'ok' && model === 'ok' && chemistry === 'ok' ? 'ready' : 'not ready',
      checks: { database, model, chemistry },
    };
    // Set the status here rather than throw: the global GraphQL pass-through filter only answers GraphQL requests.
    res.status(report.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  private check(probe: () => unknown): string {
    try {
      probe();
      return 'ok';
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }
}
