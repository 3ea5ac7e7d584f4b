/**
 * Telemetry hooks for the model and chemistry layers: a dependency-free observer list. The instrumented code
 * (src/model/model.service.ts, src/scoring/pool.ts, src/chem/chem.service.ts) calls the `record*` functions below and
 * knows nothing about Prometheus; src/observability/metrics.service.ts registers an observer that turns the events
 * into metrics. With no observer registered (unit tests, scripts) a call costs one length check.
 *
 * Observers are process-wide: two Nest applications in one process (tests) each see the events of both.
 */

/** One batch through the SMILES VAE, as seen by ModelService. */
export interface ModelBatchEvent {
  /** 'encode': SMILES to latents; 'decode': latents to SMILES. */
  op: 'encode' | 'decode';
  /** 'none' for encode; the decoding strategy otherwise. */
  strategy: 'none' | 'greedy' | 'sample' | 'beam';
  /** Rows in the request (SMILES strings or latent points); ModelService may split them into several ONNX runs. */
  rows: number;
  /** Wall time of the call, seconds. */
  seconds: number;
  /** False when the call threw. */
  ok: boolean;
}

/** Molecules handed to RDKit by one call. */
export interface MoleculesEvent {
  /** Where the work ran: the worker-thread scoring pool or ChemService on the main thread. */
  source: 'scoring_pool' | 'chem_service';
  /** What was done to each molecule, e.g. 'score', 'canonicalize', 'validate', 'describe'. */
  op: string;
  /** Molecules in the call. */
  count: number;
}

/** Receives telemetry events; every method is optional. Must not throw (errors are swallowed). */
export interface TelemetryObserver {
  modelBatch?(event: ModelBatchEvent): void;
  molecules?(event: MoleculesEvent): void;
}

const observers: TelemetryObserver[] = [];

/** Registers an observer; returns the function that removes it. */
export function addTelemetryObserver(observer: TelemetryObserver): () => void {
  observers.push(observer);
  return () => {
    const i = observers.indexOf(observer);
    if (i >= 0) observers.splice(i, 1);
  };
}

function emit<K extends keyof TelemetryObserver>(method: K, event: Parameters<NonNullable<TelemetryObserver[K]>>[0]): void {
  for (const o of observers) {
    try {
      (o[method] as ((e: typeof event) => void) | undefined)?.(event);
    } catch {
      // Telemetry must never break the instrumented call.
    }
  }
}

/** Reports that RDKit processed `count` molecules (no-op when nobody listens or count is 0). */
export function recordMolecules(source: MoleculesEvent['source'], op: string, count = 1): void {
  if (observers.length === 0 || count <= 0) return;
  emit('molecules', { source, op, count });
}

/**
 * Runs one model call and reports its wall time (also when it throws; the error is rethrown unchanged).
 * @param rows rows in the request (B)
 */
export async function timeModelBatch<T>(
  op: ModelBatchEvent['op'],
  strategy: ModelBatchEvent['strategy'],
  rows: number,
  run: () => Promise<T>,
): Promise<T> {
  if (observers.length === 0) return run();
  const t0 = process.hrtime.bigint();
  let ok = false;
  try {
    const out = await run();
    ok = true;
    return out;
  } finally {
    emit('modelBatch', { op, strategy, rows, seconds: Number(process.hrtime.bigint() - t0) / 1e9, ok });
  }
}
