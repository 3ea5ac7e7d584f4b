import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors';
import { StoreService } from '../store/store.service';
import type { CandidateFilters } from '../store/types';
import { toCandidate, toConnection, toRun, toRunCandidate } from './candidates.mappers';
import { CandidatesArgs } from './dto/candidates.args';
import { Candidate, CandidateConnection, Run, RunCandidate } from './models/candidate.models';

/** Browsing of stored candidates and runs. */
@Injectable()
export class CandidatesService {
  constructor(private readonly store: StoreService) {}

  /** One page of candidates. @throws InvalidCursorError for a cursor not issued for this ordering. */
  async list(args: CandidatesArgs): Promise<CandidateConnection> {
    const filters: CandidateFilters = {};
    for (const [key, range] of Object.entries(args.filter ?? {})) {
      if (range) filters[key as keyof CandidateFilters] = { min: range.min ?? null, max: range.max ?? null };
    }
    const page = await this.store.listCandidates({
      runId: args.runId ?? null, orderBy: args.orderBy, direction: args.direction, first: args.first, after: args.after ?? null, filters,
    });
    return toConnection(page);
  }

  /** The stored candidate with this id. @throws NotFoundError when there is none (ids are decimal integers). */
  async candidate(id: string): Promise<Candidate> {
    const record = /^[0-9]{1,15}$/.test(id) ? await this.store.getCandidate(Number(id)) : null;
    if (!record) throw new NotFoundError('candidate', id);
    return toCandidate(record);
  }

  /** @throws NotFoundError when no run has this id. */
  async run(id: string): Promise<Run> {
    const run = await this.store.getRun(id);
    if (!run) throw new NotFoundError('run', id);
    return toRun(run);
  }

  async runCandidates(runId: string): Promise<RunCandidate[]> {
    return (await this.store.getRunCandidates(runId)).map(toRunCandidate);
  }
}
