import type { CandidateRecord, Page, RunCandidateRecord, RunRecord } from '../store/types';
import { Candidate, CandidateConnection, Run, RunCandidate } from './models/candidate.models';

/** GraphQL types from store records: rows never leave the store, records never leave this mapper. */
export function toCandidate(r: CandidateRecord): Candidate {
  return { id: String(r.id), canonicalSmiles: r.canonicalSmiles, inchiKey: r.inchiKey, properties: { ...r.properties }, createdAt: r.createdAt };
}

export function toConnection(page: Page<CandidateRecord>): CandidateConnection {
  return {
    edges: page.edges.map((e) => ({ cursor: e.cursor, node: toCandidate(e.node) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}

export function toRun(r: RunRecord): Run {
  return {
    id: r.id, kind: r.kind, status: r.status, parameters: JSON.stringify(r.params ?? null),
    stats: r.stats === null || r.stats === undefined ? null : JSON.stringify(r.stats), modelVersion: r.modelVersion,
    seed: r.seed, error: r.error, createdAt: r.createdAt, startedAt: r.startedAt, finishedAt: r.finishedAt, durationMs: r.durationMs,
    progress: r.progress === null ? null : JSON.stringify(r.progress), progressAt: r.progressAt, cancelRequested: r.cancelRequested,
  };
}

export function toRunCandidate(r: RunCandidateRecord): RunCandidate {
  return { position: r.position, score: r.score, t: r.t, candidate: toCandidate(r.candidate) };
}
