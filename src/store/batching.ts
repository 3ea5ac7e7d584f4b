/** Batching constants and helpers shared by the store layer's services (StoreService, LibraryStore). */
import type { Prisma } from '@prisma/client';

/** Rows per IN (...) list / createMany statement (well below SQLite's 32766 bound-parameter limit). */
export const CHUNK = 500;
/** Interactive-transaction options: wait up to 10 s for the connection, run up to 120 s. */
export const TX_OPTIONS = { maxWait: 10_000, timeout: 120_000 } as const;

export type Tx = Prisma.TransactionClient;

/** `xs` split into consecutive slices of at most `n` items. */
export function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
