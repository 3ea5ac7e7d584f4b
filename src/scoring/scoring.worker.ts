/**
 * Worker-thread entry of the scoring pool (pool.ts): loads RDKit and the chemistry tables once, then answers
 * ScoreRequest messages. Objectives are compiled once and kept (at most 8, least recently used dropped).
 */
import { parentPort } from 'node:worker_threads';
import { Chemistry } from '../chem/chemistry';
import { chemistryForScoring } from './chem-adapter';
import { CompiledObjective } from './engine';
import type { ScoreReply, ScoreRequest } from './pool';

const MAX_COMPILED = 8;

async function main(): Promise<void> {
  if (!parentPort) throw new Error('scoring.worker must run in a worker thread');
  const port = parentPort;
  let chemistry: Chemistry;
  try {
    chemistry = await Chemistry.create();
  } catch (err) {
    port.postMessage({ fatal: err instanceof Error ? err.message : String(err) });
    return;
  }
  const adapter = chemistryForScoring(chemistry);
  const compiled = new Map<string, CompiledObjective>();
  port.on('message', (req: ScoreRequest) => {
    let reply: ScoreReply;
    try {
      if (req.op === 'canonicalize') {
        port.postMessage({ id: req.id, canonical: req.smiles.map((s) => chemistry.canonical(s)) } satisfies ScoreReply);
        return;
      }
      if (req.op === 'describe') {
        port.postMessage({ id: req.id, described: req.smiles.map((s) => chemistry.describeCanonical(s)) } satisfies ScoreReply);
        return;
      }
      if (!req.spec) throw new Error('score request without an objective');
      const key = JSON.stringify(req.spec);
      let objective = compiled.get(key);
      if (objective) compiled.delete(key);
      else objective = new CompiledObjective(req.spec, adapter);
      compiled.set(key, objective);
      while (compiled.size > MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
      reply = { id: req.id, results: req.smiles.map((s) => objective.score(s, req.canonical === true)) };
    } catch (err) {
      reply = { id: req.id, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  });
  port.postMessage('ready');
}

void main();
