/**
 * Label values with bounded cardinality. Prometheus keeps one time series per distinct label set, so every label
 * that could take client-chosen values (the GraphQL operation name) is collapsed here into a fixed number of values.
 */

/** Distinct GraphQL operation names kept as label values per process; later new names become 'other'. */
export const MAX_OPERATION_NAMES = 100;
/** Longest operation name kept as a label value (longer names become 'other'). */
export const MAX_OPERATION_NAME_LENGTH = 64;
/** Distinct error codes kept as label values per process; later new codes become 'OTHER'. */
export const MAX_ERROR_CODES = 50;

/** Remembers up to `max` distinct values; any further new value is reported as `overflow`. */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    readonly max: number,
    readonly overflow: string,
  ) {}

  /** `value` if already seen or there is room for it, else the overflow value. */
  get(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return this.overflow;
    this.seen.add(value);
    return value;
  }
}

/** GraphQL operation types as label values; 'unknown' when the document did not parse or validate. */
export type OperationTypeLabel = 'query' | 'mutation' | 'subscription' | 'unknown';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const ERROR_CODE = /^[A-Z][A-Z0-9_]*$/;

/** Operation type label from graphql-js's `OperationDefinitionNode.operation` (or undefined when unresolved). */
export function operationTypeLabel(operation: string | undefined): OperationTypeLabel {
  return operation === 'query' || operation === 'mutation' || operation === 'subscription' ? operation : 'unknown';
}

/**
 * Operation name label: 'unknown' when no operation was resolved (parse or validation failure), 'anonymous' for an
 * unnamed operation, 'other' for a name over {@link MAX_OPERATION_NAME_LENGTH} characters or beyond the first
 * {@link MAX_OPERATION_NAMES} distinct names, else the name.
 */
export function operationNameLabel(names: BoundedLabel, resolved: boolean, name: string | null | undefined): string {
  if (!resolved) return 'unknown';
  if (!name) return 'anonymous';
  if (name.length > MAX_OPERATION_NAME_LENGTH || !GRAPHQL_NAME.test(name)) return 'other';
  return names.get(name);
}

/** Error code label: an `extensions.code` in UPPER_SNAKE_CASE (bounded by `codes`), 'UNKNOWN' when absent, else 'OTHER'. */
export function errorCodeLabel(codes: BoundedLabel, code: unknown): string {
  if (code === undefined || code === null) return 'UNKNOWN';
  if (typeof code !== 'string' || code.length > 64 || !ERROR_CODE.test(code)) return 'OTHER';
  return codes.get(code);
}

/** Batch-size label of a model call: '1', '2-8', '9-32', '33-128', '129-512' or '513+' rows. */
export function batchSizeLabel(rows: number): string {
  if (rows <= 1) return '1';
  if (rows <= 8) return '2-8';
  if (rows <= 32) return '9-32';
  if (rows <= 128) return '33-128';
  if (rows <= 512) return '129-512';
  return '513+';
}
