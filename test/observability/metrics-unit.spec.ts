/**
 * Observability building blocks without the app: label bounding, configuration parsing, the /metrics token check,
 * and MetricsService fed through the telemetry hooks the model, scoring and chemistry layers call.
 */
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { JobsService } from '../../src/jobs/jobs.service';
import {
  batchSizeLabel,
  BoundedLabel,
  createRootLogger,
  errorCodeLabel,
  httpLoggerOptions,
  logOptionsFromEnv,
  MAX_OPERATION_NAMES,
  metricsAuthorized,
  MetricsService,
  observabilityOptionsFromEnv,
  operationNameLabel,
  pathOnly,
  prettyDestination,
  recordMolecules,
  timeModelBatch,
} from '../../src/observability';

/** Sample value of one series in a Prometheus text exposition (undefined when absent). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('label bounding', () => {
  it('keeps the first MAX_OPERATION_NAMES names and collapses the rest, anonymous and unresolved operations', () => {
    const names = new BoundedLabel(MAX_OPERATION_NAMES, 'other');
    for (let i = 0; i < MAX_OPERATION_NAMES; i++) expect(operationNameLabel(names, true, `Op${i}`)).toBe(`Op${i}`);
    expect(operationNameLabel(names, true, 'OneTooMany')).toBe('other');
    expect(operationNameLabel(names, true, 'Op7')).toBe('Op7'); // already known names stay
    expect(operationNameLabel(names, true, null)).toBe('anonymous');
    expect(operationNameLabel(names, true, '')).toBe('anonymous');
    expect(operationNameLabel(names, false, 'Whatever')).toBe('unknown');
    expect(operationNameLabel(new BoundedLabel(5, 'other'), true, 'x'.repeat(65))).toBe('other');
  });

  it('maps error codes to a bounded set', () => {
    const codes = new BoundedLabel(2, 'OTHER');
    expect(errorCodeLabel(codes, 'INVALID_SMILES')).toBe('INVALID_SMILES');
    expect(errorCodeLabel(codes, undefined)).toBe('UNKNOWN');
    expect(errorCodeLabel(codes, 'not a code')).toBe('OTHER');
    expect(errorCodeLabel(codes, 42)).toBe('OTHER');
    expect(errorCodeLabel(codes, 'NOT_FOUND')).toBe('NOT_FOUND');
    expect(errorCodeLabel(codes, 'LIMIT_EXCEEDED')).toBe('OTHER'); // third distinct code
  });

  it('buckets model batch sizes', () => {
    expect([1, 2, 8, 9, 32, 33, 128, 129, 512, 513, 4096].map(batchSizeLabel)).toEqual(
      ['1', '2-8', '2-8', '9-32', '9-32', '33-128', '33-128', '129-512', '129-512', '513+', '513+'],
    );
  });
});

describe('configuration', () => {
  it('reads LOG_LEVEL and LOG_FORMAT with production/test defaults, and rejects unknown values', () => {
    expect(logOptionsFromEnv({ NODE_ENV: 'production' })).toEqual({ level: 'info', format: 'json' });
    expect(logOptionsFromEnv({ NODE_ENV: 'development' })).toEqual({ level: 'info', format: 'pretty' });
    expect(logOptionsFromEnv({ NODE_ENV: 'test' })).toEqual({ level: 'silent', format: 'pretty' });
    expect(logOptionsFromEnv({ NODE_ENV: 'test', LOG_LEVEL: 'Debug', LOG_FORMAT: 'json' })).toEqual({ level: 'debug', format: 'json' });
    expect(() => logOptionsFromEnv({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
    expect(() => logOptionsFromEnv({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });

  it('reads MOLNAV_METRICS_TOKEN: unset or empty leaves /metrics open, a short token is refused', () => {
    expect(observabilityOptionsFromEnv({}).metricsToken).toBeNull();
    expect(observabilityOptionsFromEnv({ MOLNAV_METRICS_TOKEN: '' }).metricsToken).toBeNull();
    expect(observabilityOptionsFromEnv({ MOLNAV_METRICS_TOKEN: 'a-long-enough-token-1' }).metricsToken).toBe('a-long-enough-token-1');
    expect(() => observabilityOptionsFromEnv({ MOLNAV_METRICS_TOKEN: 'short' })).toThrow(/at least 16/);
    expect(() => observabilityOptionsFromEnv({ MOLNAV_METRICS_TOKEN: 'has a space in it, long' })).toThrow(/whitespace/);
  });

  it('checks the bearer token of /metrics', () => {
    const token = 'scrape-token-0123456789';
    expect(metricsAuthorized(null, undefined)).toBe(true);
    expect(metricsAuthorized(token, undefined)).toBe(false);
    expect(metricsAuthorized(token, token)).toBe(false); // scheme missing
    expect(metricsAuthorized(token, 'Basic ' + token)).toBe(false);
    expect(metricsAuthorized(token, 'Bearer scrape-token-012345678')).toBe(false);
    expect(metricsAuthorized(token, `Bearer ${token}`)).toBe(true);
    expect(metricsAuthorized(token, `bearer ${token}`)).toBe(true);
  });
});

describe('logging helpers', () => {
  it('drops query strings (GraphQL variables travel there on GET)', () => {
    expect(pathOnly('/graphql?query=%7B%7D&variables=%7B%22q%22%3A%22CCO%22%7D')).toBe('/graphql');
    expect(pathOnly('/health/live')).toBe('/health/live');
    expect(pathOnly(undefined)).toBe('');
  });

  it('does not log successful probes and scrapes, but logs their failures', () => {
    const opts = httpLoggerOptions(pino({ level: 'silent' }));
    const level = (url: string, statusCode: number) => opts.customLogLevel!({ url } as never, { statusCode } as never, undefined);
    expect(level('/health/live', 200)).toBe('silent');
    expect(level('/health/ready', 200)).toBe('silent');
    expect(level('/metrics?name[]=x', 200)).toBe('silent');
    expect(level('/metrics', 401)).toBe('warn');
    expect(level('/health/ready', 503)).toBe('error');
    expect(level('/graphql', 200)).toBe('info');
    expect(level('/graphql', 400)).toBe('warn');
    expect(level('/healthz', 200)).toBe('info');
  });

  it('redacts credentials in any record that carries request headers', () => {
    const lines: string[] = [];
    const logger = createRootLogger({ level: 'info', format: 'json', destination: { write: (s: string) => lines.push(s) } });
    logger.info({ req: { headers: { authorization: 'Bearer sk-123', 'x-api-key': 'k-456', cookie: 'sid=1', accept: '*/*' } } }, 'hello');
    const rec = JSON.parse(lines[0]);
    expect(rec).toMatchObject({ level: 'info', msg: 'hello' });
    expect(rec.req.headers).toEqual({ authorization: '[Redacted]', 'x-api-key': '[Redacted]', cookie: '[Redacted]', accept: '*/*' });
    expect(lines[0]).not.toMatch(/sk-123|k-456/);
  });

  it('formats records as readable lines in the pretty format', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c) => (text += c));
    const logger = pino({ level: 'info' }, prettyDestination(out));
    logger.info({ context: 'ModelService', reqId: 'r1', n: 3 }, 'loaded model');
    logger.error({ err: new Error('boom') }, 'failed');
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  \[ModelService\] loaded model reqId=r1 n=3\n/);
    expect(text).toMatch(/ERROR failed\n {4}Error: boom\n\s+at /);
  });
});

describe('MetricsService', () => {
  let metrics: MetricsService;
  const depth = { queued: 3, running: 2 };
  let shared: Promise<{ waiting: number; active: number; delayed: number } | null>;

  beforeEach(() => {
    shared = Promise.resolve(null);
    metrics = new MetricsService({ queueDepth: () => depth, sharedQueueCounts: () => shared } as unknown as JobsService);
  });
  afterEach(() => metrics.onModuleDestroy());

  it('exposes default process metrics and the queue depth read at scrape time', async () => {
    let { body, contentType } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toMatch(/^# TYPE process_cpu_user_seconds_total counter$/m);
    expect(body).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    expect(sample(body, 'molnav_job_queue_depth{scope="process",state="queued"}')).toBe(3);
    expect(sample(body, 'molnav_job_queue_depth{scope="process",state="running"}')).toBe(2);
    expect(sample(body, 'molnav_job_queue_depth{scope="shared",state="queued"}')).toBeUndefined(); // no shared queue
    depth.queued = 0;
    shared = Promise.resolve({ waiting: 4, active: 1, delayed: 2 });
    ({ body } = await metrics.render());
    expect(sample(body, 'molnav_job_queue_depth{scope="process",state="queued"}')).toBe(0);
    expect(sample(body, 'molnav_job_queue_depth{scope="shared",state="queued"}')).toBe(6);
    expect(sample(body, 'molnav_job_queue_depth{scope="shared",state="running"}')).toBe(1);
    // An unreachable queue leaves its series out instead of failing the scrape.
    shared = Promise.reject(new Error('ECONNREFUSED'));
    shared.catch(() => undefined);
    ({ body } = await metrics.render());
    expect(sample(body, 'molnav_job_queue_depth{scope="shared",state="queued"}')).toBeUndefined();
    expect(sample(body, 'molnav_job_queue_depth{scope="process",state="running"}')).toBe(2);
  });

  it('counts molecules and times model calls reported through the telemetry hooks', async () => {
    recordMolecules('scoring_pool', 'score', 7);
    recordMolecules('scoring_pool', 'score', 5);
    recordMolecules('chem_service', 'validate');
    recordMolecules('chem_service', 'no-such-op', 2);
    const rows = await timeModelBatch('encode', 'none', 3, async () => ['z1', 'z2', 'z3']);
    expect(rows).toEqual(['z1', 'z2', 'z3']);
    await expect(timeModelBatch('decode', 'sample', 600, async () => Promise.reject(new Error('ONNX failed')))).rejects.toThrow('ONNX failed');
    const { body } = await metrics.render();
    expect(sample(body, 'molnav_rdkit_molecules_total{source="scoring_pool",op="score"}')).toBe(12);
    expect(sample(body, 'molnav_rdkit_molecules_total{source="chem_service",op="validate"}')).toBe(1);
    expect(sample(body, 'molnav_rdkit_molecules_total{source="chem_service",op="other"}')).toBe(2);
    expect(sample(body, 'molnav_model_batch_duration_seconds_count{op="encode",strategy="none",batch_size="2-8"}')).toBe(1);
    expect(sample(body, 'molnav_model_batch_duration_seconds_count{op="decode",strategy="sample",batch_size="513+"}')).toBe(1);
    expect(sample(body, 'molnav_model_batch_failures_total{op="decode"}')).toBe(1);
    expect(sample(body, 'molnav_model_batch_failures_total{op="encode"}')).toBeUndefined();
  });

  it('records GraphQL latency by operation and one error per code; stops listening after destroy', async () => {
    metrics.observeGraphqlRequest({ operationType: 'query', operationName: 'Describe', seconds: 0.02, errorCodes: [] });
    metrics.observeGraphqlRequest({ operationType: 'mutation', operationName: null, seconds: 0.3, errorCodes: ['INVALID_SMILES', 'INVALID_SMILES'] });
    metrics.observeGraphqlRequest({ operationType: undefined, operationName: undefined, seconds: 0.001, errorCodes: ['GRAPHQL_PARSE_FAILED'] });
    const { body } = await metrics.render();
    expect(sample(body, 'molnav_graphql_request_duration_seconds_count{operation_type="query",operation_name="Describe"}')).toBe(1);
    expect(sample(body, 'molnav_graphql_request_duration_seconds_bucket{le="0.025",operation_type="query",operation_name="Describe"}')).toBe(1);
    expect(sample(body, 'molnav_graphql_request_duration_seconds_bucket{le="0.01",operation_type="query",operation_name="Describe"}')).toBe(0);
    expect(sample(body, 'molnav_graphql_errors_total{operation_type="mutation",operation_name="anonymous",code="INVALID_SMILES"}')).toBe(2);
    expect(sample(body, 'molnav_graphql_errors_total{operation_type="unknown",operation_name="unknown",code="GRAPHQL_PARSE_FAILED"}')).toBe(1);

    metrics.onModuleDestroy();
    recordMolecules('scoring_pool', 'score', 4);
    const after = await metrics.render();
    expect(sample(after.body, 'molnav_rdkit_molecules_total{source="scoring_pool",op="score"}')).toBeUndefined();
  });
});
