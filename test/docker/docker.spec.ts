/**
 * The offline Docker checker (scripts/check-docker.ts, `npm run lint:docker`): the repository's Dockerfiles and
 * compose file pass, and broken variants of them (strings, the real files untouched) are caught with a reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkCompose, checkDockerfile, checkDockerFolder, Finding, isIgnored, parseDockerignore } from '../../scripts/check-docker';

const ROOT = path.resolve(__dirname, '..', '..');
const DOCKER_DIR = path.join(ROOT, 'docker');
const DOCKERFILE = readFileSync(path.join(DOCKER_DIR, 'Dockerfile'), 'utf8');
const DOCKERFILE_CUDA = readFileSync(path.join(DOCKER_DIR, 'Dockerfile.cuda'), 'utf8');
const COMPOSE = readFileSync(path.join(DOCKER_DIR, 'compose.yaml'), 'utf8');
const DOCKERIGNORE = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8');

const errors = (findings: Finding[]) => findings.filter((f) => f.severity === 'error').map((f) => f.message);
const dockerfile = (text: string) => checkDockerfile(text, { file: 'Dockerfile', contextDir: ROOT, dockerignore: DOCKERIGNORE });
const compose = (text: string) => checkCompose(text, { file: 'compose.yaml', composeDir: DOCKER_DIR });

/** `text` with `from` replaced by `to`; fails the test when `from` is not there (the fixture would prove nothing). */
function edit(text: string, from: string | RegExp, to: string): string {
  expect(text).toMatch(from);
  return text.replace(from, to);
}

describe('the repository docker/ folder', () => {
  it('has no errors in docker/Dockerfile, docker/Dockerfile.cuda and docker/compose.yaml', () => {
    const { files, findings } = checkDockerFolder(ROOT);
    expect(files).toEqual(['docker/Dockerfile', 'docker/Dockerfile.cuda', 'docker/compose.yaml']);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('builds the CPU image without the CUDA download and the GPU image with it, both shipping the model and probing /health/live', () => {
    expect(DOCKERFILE).toMatch(/^ENV ONNXRUNTIME_NODE_INSTALL=skip$/m);
    expect(DOCKERFILE).not.toMatch(/cuda12/);
    expect(DOCKERFILE_CUDA).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules\/onnxruntime-node\/script\/install\.js/);
    expect(DOCKERFILE_CUDA).toMatch(/^ARG CUDA_IMAGE=nvidia\/cuda:12\.[0-9.]+-cudnn-runtime-/m);
    for (const text of [DOCKERFILE, DOCKERFILE_CUDA]) {
      expect(text).toMatch(/^EXPOSE 3000$/m);
      expect(text).toMatch(/\/health\/live/);
      expect(text).toMatch(/^COPY models \.\/models$/m);
    }
  });
});

describe('Dockerfile checks', () => {
  it('reports the validator errors of dockerfile-utils with their line', () => {
    const findings = dockerfile(edit(DOCKERFILE, 'HEALTHCHECK --interval=30s', 'HEALTHCHECK --interval=30x') + 'FOO bar\n');
    const found = errors(findings);
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/unknown unit x in duration 30x/), expect.stringMatching(/Unknown instruction: FOO/)]));
    const foo = findings.find((f) => /FOO/.test(f.message));
    expect(foo?.line).toBe(DOCKERFILE.split('\n').length);
  });

  it('requires a non-root USER, a HEALTHCHECK and a CMD in the final stage', () => {
    expect(errors(dockerfile(edit(DOCKERFILE, /^USER node$/m, '')))).toEqual(['the final stage has no USER instruction: the image would run as root']);
    expect(errors(dockerfile(edit(DOCKERFILE, /^USER node$/m, 'USER root')))).toEqual(['the final stage runs as root']);
    expect(errors(dockerfile(edit(DOCKERFILE, /^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m, '')))).toEqual(['the final stage declares no HEALTHCHECK']);
    expect(errors(dockerfile(edit(DOCKERFILE, /^CMD .*$/m, '')))).toEqual(['the final stage has no CMD or ENTRYPOINT']);
    expect(errors(dockerfile('RUN true\n'))).toEqual(expect.arrayContaining(['no FROM instruction']));
  });

  it('requires COPY sources to exist in the build context and not to be excluded by .dockerignore', () => {
    expect(errors(dockerfile(edit(DOCKERFILE, 'COPY models ./models', 'COPY modelz ./models')))).toEqual([
      expect.stringMatching(/^COPY source modelz does not exist in the build context/),
    ]);
    const ignoringModels = checkDockerfile(DOCKERFILE, { file: 'Dockerfile', contextDir: ROOT, dockerignore: `${DOCKERIGNORE}\nmodels\n` });
    expect(errors(ignoringModels)).toEqual(['COPY source models is excluded by .dockerignore']);
    expect(errors(dockerfile(edit(DOCKERFILE, 'COPY models ./models', 'COPY ../secrets ./models')))).toEqual(['COPY source ../secrets is outside the build context']);
    // Copies from another stage are not looked up in the context.
    expect(errors(dockerfile(edit(DOCKERFILE, 'COPY --from=build /app/dist ./dist', 'COPY --from=build /nowhere ./dist')))).toEqual([]);
  });
});

describe('.dockerignore matching', () => {
  it('follows Docker: folders exclude their contents, ** spans folders, the last matching rule wins', () => {
    const rules = parseDockerignore('# comment\nnode_modules\n/data\n**/*.log\ndocs/*.md\n!docs/keep.md\n');
    expect(isIgnored(rules, 'node_modules/pino/index.js')).toBe(true);
    expect(isIgnored(rules, 'data/molnav.db')).toBe(true);
    expect(isIgnored(rules, 'src/a/b/trace.log')).toBe(true);
    expect(isIgnored(rules, 'docs/observability.md')).toBe(true);
    expect(isIgnored(rules, 'docs/keep.md')).toBe(false);
    expect(isIgnored(rules, 'docs/sub/x.md')).toBe(false);
    expect(isIgnored(rules, 'src/main.ts')).toBe(false);
    expect(isIgnored(rules, 'models')).toBe(false);
  });
});

describe('compose checks', () => {
  it('reports YAML syntax errors with their line', () => {
    const findings = compose(edit(COMPOSE, '  api:\n', '  api:\n   bad: [\n'));
    expect(findings[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/^YAML: /) });
    expect(findings[0].line).toBeGreaterThan(1);
  });

  it('validates against the compose-spec schema: unknown keys, enum values, duration formats', () => {
    expect(errors(compose(edit(COMPOSE, '    init: true\n', '    init: true\n    gpu: all\n')))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^schema: \/services\/api must NOT have additional properties: gpu$/)]),
    );
    expect(errors(compose(edit(COMPOSE, 'condition: service_healthy', 'condition: when_ready')))).toEqual(
      expect.arrayContaining([expect.stringMatching(/depends_on\/postgres\/condition must be equal to one of the allowed values \(service_started, service_healthy/)]),
    );
    expect(errors(compose(edit(COMPOSE, 'interval: 5s', 'interval: 5 seconds')))).toEqual(
      expect.arrayContaining([expect.stringMatching(/healthcheck\/interval must match format "duration"/)]),
    );
    expect(errors(compose(edit(COMPOSE, '"3000:3000"', '"3000:http"')))).toEqual(expect.arrayContaining([expect.stringMatching(/must match format "ports"/)]));
  });

  it('checks cross-references: dependencies, app environment, builds, volumes, shared image tags', () => {
    expect(errors(compose(edit(COMPOSE, '      redis:\n        condition', '      cache:\n        condition')))).toEqual([
      'service api depends on cache, which is not defined',
    ]);
    expect(errors(compose(edit(COMPOSE, '  REDIS_URL: redis://redis:6379\n', '')))).toEqual([
      'service api does not set REDIS_URL',
      'service worker does not set REDIS_URL',
    ]);
    expect(errors(compose(edit(COMPOSE, 'dockerfile: docker/Dockerfile #', 'dockerfile: docker/Dockerfile.gpu #')))).toEqual([
      'service api: docker/Dockerfile.gpu does not exist in the build context ..',
      'services api and worker build the image molnav:cpu differently',
    ]);
    expect(errors(compose(edit(COMPOSE, '      - pgdata:/var/lib/postgresql/data', '      - pg-data:/var/lib/postgresql/data')))).toEqual([
      'service postgres mounts the volume pg-data, which is not declared under volumes',
    ]);
    const noHealth = edit(COMPOSE, /    healthcheck:\n      test: \["CMD-SHELL", "pg_isready[^\n]*\n[^\n]*\n[^\n]*\n[^\n]*\n/, '    healthcheck:\n      disable: true\n');
    expect(errors(compose(noHealth))).toEqual([
      'service api waits for postgres to be healthy, but its health check is disabled',
      'service worker waits for postgres to be healthy, but its health check is disabled',
    ]);
  });

  it('warns about images without a pinned tag', () => {
    const findings = compose(edit(COMPOSE, 'image: redis:7-bookworm', 'image: redis'));
    expect(errors(findings)).toEqual([]);
    expect(findings.filter((f) => f.severity === 'warning').map((f) => f.message)).toEqual(['service redis: image redis has no pinned tag']);
  });
});
