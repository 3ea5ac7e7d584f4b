import { Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JobsService } from '../jobs/jobs.service';
import {
  BoundedLabel,
  MAX_ERROR_CODES,
  MAX_OPERATION_NAMES,
  batchSizeLabel,
  errorCodeLabel,
  operationNameLabel,
  operationTypeLabel,
} from './labels';
import { addTelemetryObserver, ModelBatchEvent, MoleculesEvent } from './telemetry';
import { rdkitHeapBytes } from '../chem/rdkit';

/** Latency buckets of GraphQL requests, seconds (optimisations run for minutes). */
export const GRAPHQL_BUCKETS = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]);
/** Latency buckets of model batches, seconds. */
export const MODEL_BUCKETS = Object.freeze([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);

/** One finished GraphQL request, as the Apollo plugin reports it. */
export interface GraphqlRequestObservation {
  /** graphql-js operation type, undefined when the document did not parse/validate. */
  operationType: string | undefined;
  /** Operation name (null: anonymous). */
  operationName: string | null | undefined;
  /** Wall time from request start to response, seconds. */
  seconds: number;
  /** `extensions.code` of each error in the response (formatted errors). */
  errorCodes: readonly unknown[];
}

/** Longest wait for the shared queue's counts during a scrape, ms; without an answer the shared series are left out. */
export const QUEUE_COUNT_TIMEOUT_MS = 1000;

/** `p`, or a rejection after `ms` (the timer does not keep the process alive). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const STRATEGIES = new Set(['none', 'greedy', 'sample', 'beam']);
const RDKIT_OPS = new Set(['score', 'canonicalize', 'validate', 'canonical', 'describe', 'resolve', 'fingerprint', 'depict']);

/**
 * The Prometheus metrics of molnav in an own Registry (never prom-client's global one, so several applications can
 * live in one process), with typed methods for the code that reports them. Other modules never import prom-client:
 * the GraphQL plugin calls {@link observeGraphqlRequest}; the model and chemistry layers report through the observer
 * list of telemetry.ts, which this service subscribes to; the job queue depth is read from JobsService at each
 * scrape (this process's jobs, and the shared Redis queue when there is one). Every metric is listed in
 * docs/observability.md.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly operationNames = new BoundedLabel(MAX_OPERATION_NAMES, 'other');
  private readonly errorCodes = new BoundedLabel(MAX_ERROR_CODES, 'OTHER');
  private readonly removeObserver: () => void;

  private readonly graphqlDuration = new Histogram({
    name: 'molnav_graphql_request_duration_seconds',
    help: 'GraphQL requests over HTTP: time from request start to response, seconds.',
    labelNames: ['operation_type', 'operation_name'] as const,
    buckets: [...GRAPHQL_BUCKETS],
    registers: [this.registry],
  });

  private readonly graphqlErrors = new Counter({
    name: 'molnav_graphql_errors_total',
    help: 'Errors in GraphQL responses, by extensions.code.',
    labelNames: ['operation_type', 'operation_name', 'code'] as const,
    registers: [this.registry],
  });

  private readonly modelDuration = new Histogram({
    name: 'molnav_model_batch_duration_seconds',
    help: 'SMILES VAE calls (ModelService encode/decode): wall time per call, seconds.',
    labelNames: ['op', 'strategy', 'batch_size'] as const,
    buckets: [...MODEL_BUCKETS],
    registers: [this.registry],
  });

  private readonly modelFailures = new Counter({
    name: 'molnav_model_batch_failures_total',
    help: 'SMILES VAE calls that threw (bad input or ONNX Runtime failure).',
    labelNames: ['op'] as const,
    registers: [this.registry],
  });

  private readonly rdkitMolecules = new Counter({
    name: 'molnav_rdkit_molecules_total',
    help: 'Molecules processed by RDKit: scoring worker pool (score, canonicalize) and ChemService calls.',
    labelNames: ['source', 'op'] as const,
    registers: [this.registry],
  });

  constructor(@Optional() private readonly jobs?: JobsService) {
    collectDefaultMetrics({ register: this.registry });
    const jobsRef = this.jobs;
    new Gauge({
      name: 'molnav_job_queue_depth',
      help:
        'Background jobs by state (queued, running), read at scrape time: scope="process" counts the jobs of this process, ' +
        'scope="shared" the shared Redis queue of all workers (the same value from every process).',
      labelNames: ['scope', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        if (!jobsRef) return;
        const local = jobsRef.queueDepth();
        this.set({ scope: 'process', state: 'queued' }, local.queued);
        this.set({ scope: 'process', state: 'running' }, local.running);
        const shared = await withTimeout(jobsRef.sharedQueueCounts(), QUEUE_COUNT_TIMEOUT_MS).catch(() => null);
        if (shared) {
          this.set({ scope: 'shared', state: 'queued' }, shared.waiting + shared.delayed);
          this.set({ scope: 'shared', state: 'running' }, shared.active);
        }
      },
    });
    new Gauge({
      name: 'molnav_rdkit_wasm_heap_bytes',
      help: 'Size of the RDKit WASM heap of the main thread, bytes (Emscripten heaps only grow: steady growth means leaked molecules).',
      registers: [this.registry],
      collect() {
        const bytes = rdkitHeapBytes();
        if (bytes !== null) this.set(bytes);
      },
    });
    this.removeObserver = addTelemetryObserver({
      modelBatch: (e) => this.observeModelBatch(e),
      molecules: (e) => this.countMolecules(e),
    });
  }

  onModuleDestroy(): void {
    this.removeObserver();
  }

  /** Records one GraphQL request: latency by operation, and one error count per error code in the response. */
  observeGraphqlRequest(o: GraphqlRequestObservation): void {
    const type = operationTypeLabel(o.operationType);
    const name = operationNameLabel(this.operationNames, o.operationType !== undefined, o.operationName);
    this.graphqlDuration.observe({ operation_type: type, operation_name: name }, o.seconds);
    for (const code of o.errorCodes) {
      this.graphqlErrors.inc({ operation_type: type, operation_name: name, code: errorCodeLabel(this.errorCodes, code) });
    }
  }

  /** Records one model call (duration by op, strategy and bucketed batch size; failures counted apart). */
  observeModelBatch(e: ModelBatchEvent): void {
    const op = e.op === 'encode' ? 'encode' : 'decode';
    const strategy = STRATEGIES.has(e.strategy) ? e.strategy : 'other';
    this.modelDuration.observe({ op, strategy, batch_size: batchSizeLabel(e.rows) }, e.seconds);
    if (!e.ok) this.modelFailures.inc({ op });
  }

  /** Counts molecules handed to RDKit. */
  countMolecules(e: MoleculesEvent): void {
    const source = e.source === 'scoring_pool' ? 'scoring_pool' : 'chem_service';
    this.rdkitMolecules.inc({ source, op: RDKIT_OPS.has(e.op) ? e.op : 'other' }, e.count);
  }

  /** The Prometheus text exposition of every metric, with its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
