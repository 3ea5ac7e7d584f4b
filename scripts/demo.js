#!/usr/bin/env node
/**
 * Sends the README's example GraphQL session to a running molnav service and prints the answers:
 * an interpolation between two approved drugs, an optimisation from a drug, the stored candidates, neighbours of a
 * drug, and a walk along the TPSA direction (when the model ships directions.json).
 * Usage: node scripts/demo.js [url]   (default http://127.0.0.1:3000/graphql, or MOLNAV_URL)
 */
const url = process.argv[2] || process.env.MOLNAV_URL || `http://127.0.0.1:${process.env.PORT || 3000}/graphql`;

async function gql(query, variables = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const fmt = (x, d = 2) => (x === null || x === undefined ? '-' : Number(x).toFixed(d));

async function main() {
  const { interpolate: r } = await gql(`mutation {
    interpolate(input: { from: "celecoxib", to: "ibuprofen", steps: 8, method: SLERP, seed: 0 }) {
      runId distinctIntermediates decodes
      path { t valid canonicalSmiles tanimotoToFrom tanimotoToTo source properties { qed mw } }
    }
  }`);
  console.log(`interpolate celecoxib -> ibuprofen: run ${r.runId}, ${r.distinctIntermediates} distinct valid intermediates, ${r.decodes} decodes`);
  console.log('   t     simFrom simTo  QED   MW      source   SMILES');
  for (const p of r.path) {
    console.log(`  ${fmt(p.t, 3)}  ${fmt(p.tanimotoToFrom)}    ${fmt(p.tanimotoToTo)}   ${fmt(p.properties && p.properties.qed)}  ${fmt(p.properties && p.properties.mw, 1).padStart(6)}  ${p.source.padEnd(7)}  ${p.canonicalSmiles}`);
  }
  const { optimize: o } = await gql(`mutation {
    optimize(input: { seed: "celecoxib", objective: { kind: QED }, constraints: { minSimilarity: 0.4 }, budget: 200, topK: 5, randomSeed: 0 }) {
      runId seedScore oracleCalls decodes invalidDecodes generations stopReason
      candidates { rank canonicalSmiles score similarityToSeed feasible }
    }
  }`);
  console.log(`\noptimize QED from celecoxib (seed QED ${fmt(o.seedScore, 3)}), min Tanimoto 0.4: run ${o.runId}, ${o.oracleCalls} oracle calls, ${o.decodes} decodes (${o.invalidDecodes} invalid), ${o.generations} generations, stop ${o.stopReason}`);
  for (const c of o.candidates) console.log(`  #${c.rank}  QED ${fmt(c.score, 3)}  sim ${fmt(c.similarityToSeed)}  ${c.feasible ? 'feasible  ' : 'infeasible'}  ${c.canonicalSmiles}`);
  const { candidates } = await gql(`{ candidates(first: 3, orderBy: QED, direction: DESC) { totalCount edges { node { id canonicalSmiles properties { qed sa } } } } }`);
  console.log(`\ncandidates: ${candidates.totalCount} stored; top QED:`);
  for (const { node } of candidates.edges) console.log(`  ${node.id}  QED ${fmt(node.properties.qed, 3)}  SA ${fmt(node.properties.sa)}  ${node.canonicalSmiles}`);

  const { sampleNeighbours: n } = await gql(`mutation {
    sampleNeighbours(input: { molecule: "celecoxib", count: 8, seed: 0 }) {
      runId found complete decodes invalidDecodes duplicates identicalToQuery radius
      neighbours { rank tanimoto canonicalSmiles properties { qed } }
    }
  }`);
  console.log(`\nsampleNeighbours celecoxib, radius ${n.radius}: run ${n.runId}, ${n.found} found (complete: ${n.complete}), ${n.decodes} decodes (${n.invalidDecodes} invalid, ${n.duplicates} duplicates, ${n.identicalToQuery} the query itself)`);
  for (const x of n.neighbours) console.log(`  #${x.rank}  Tanimoto ${fmt(x.tanimoto)}  QED ${fmt(x.properties.qed)}  ${x.canonicalSmiles}`);

  const { propertyDirections: dirs } = await gql(`{ propertyDirections { available directions { property unit slope r2Heldout spearmanHeldout } } }`);
  if (!dirs.available) {
    console.log('\npropertyDirections: the model ships no directions.json; traverse is unavailable');
    return;
  }
  console.log('\npropertyDirections:');
  for (const d of dirs.directions) console.log(`  ${d.property.padEnd(6)} slope ${fmt(d.slope, 3)} ${d.unit || '(unitless)'} per latent unit, held-out R² ${fmt(d.r2Heldout)}, Spearman ${fmt(d.spearmanHeldout)}`);
  const { traverse: t } = await gql(`mutation {
    traverse(input: { molecule: "ibuprofen", property: "tpsa", distance: 4, steps: 8 }) {
      runId startValue spearman monotonic validPoints distinctValidPoints
      points { offset valid value predicted tanimotoToStart distinct canonicalSmiles }
    }
  }`);
  console.log(`\ntraverse ibuprofen along tpsa, 4 latent units: run ${t.runId}, start TPSA ${fmt(t.startValue, 1)}, ${t.validPoints} valid points (${t.distinctValidPoints} distinct), Spearman ${fmt(t.spearman)}, monotonic ${t.monotonic}`);
  console.log('  offset  TPSA    predicted  simStart  SMILES');
  for (const p of t.points) console.log(`  ${fmt(p.offset, 1).padStart(5)}  ${fmt(p.value, 1).padStart(6)}  ${fmt(p.predicted, 1).padStart(9)}  ${fmt(p.tanimotoToStart).padStart(8)}  ${p.valid ? p.canonicalSmiles + (p.distinct ? '' : '  (repeat)') : '(invalid)'}`);
}

main().catch((err) => {
  console.error(`demo failed against ${url}: ${err.message}`);
  process.exit(1);
});
