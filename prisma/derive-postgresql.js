#!/usr/bin/env node
/**
 * Derives prisma/postgresql/schema.prisma from the single source of truth, prisma/schema.prisma.
 *
 * Prisma binds a schema to one datasource provider, and a generated client to that schema, so PostgreSQL needs its
 * own schema file and its own migration history. Nobody edits them by hand: this script rewrites the provider and
 * the client's output folder, and prisma/new-migration.sh writes the PostgreSQL migration next to the SQLite one.
 *
 *   node prisma/derive-postgresql.js           write the derived schema
 *   node prisma/derive-postgresql.js --check   exit 1 when the committed derived schema is stale
 *   node prisma/derive-postgresql.js --stdout  print it
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const SOURCE = path.join(__dirname, 'schema.prisma');
const TARGET = path.join(__dirname, 'postgresql', 'schema.prisma');

/** The PostgreSQL variant of a SQLite schema text. @throws Error when the source lacks the expected blocks. */
function derive(source) {
  const datasource = /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/;
  if (!datasource.test(source)) throw new Error('prisma/schema.prisma: datasource db with provider "sqlite" not found');
  const generator = /(generator\s+client\s*\{[^}]*?provider\s*=\s*"prisma-client-js"[^\n]*\n)/;
  if (!generator.test(source)) throw new Error('prisma/schema.prisma: generator client (prisma-client-js) not found');
  const header =
    '// GENERATED from prisma/schema.prisma by prisma/derive-postgresql.js: do not edit; edit the source and run\n' +
    '// `bash prisma/new-migration.sh <name>`, which regenerates this file and writes both providers\' migrations.\n';
  return (
    header +
    source
      .replace(datasource, '$1"postgresql"')
      // A second generated client beside the SQLite one (node_modules/.prisma/client).
      .replace(generator, '$1  output     = "../../node_modules/.prisma/client-postgresql"\n')
  );
}

function main(argv) {
  const text = derive(fs.readFileSync(SOURCE, 'utf8'));
  if (argv.includes('--stdout')) return void process.stdout.write(text);
  if (argv.includes('--check')) {
    const current = fs.existsSync(TARGET) ? fs.readFileSync(TARGET, 'utf8') : '';
    if (current !== text) {
      console.error('prisma/postgresql/schema.prisma is stale: run `node prisma/derive-postgresql.js`');
      process.exit(1);
    }
    return;
  }
  fs.mkdirSync(path.dirname(TARGET), { recursive: true });
  fs.writeFileSync(TARGET, text);
}

module.exports = { derive, SOURCE, TARGET };
if (require.main === module) main(process.argv.slice(2));
