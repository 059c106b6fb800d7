import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveCompose } from './support/deploy-compose.ts';
import { REPO } from './support/deploy-dashboard.ts';
import { waitFor } from '@nasfleet/fleet-testing';
import { dockerfileStages, freePort, runFile } from './support/deploy-files.ts';

/**
 * The images' files checked where it is cheap, without a Docker engine (the images are never
 * built here): the Dockerfile's stages, users, healthchecks and copies; .dockerignore; the
 * entrypoint's secret handling run by a real sh; the Redis settings loaded by a real redis-server
 * the way the compose service starts it; the Prometheus configuration by promtool.
 */

const DOCKERFILE = readFileSync(`${REPO}deploy/docker/Dockerfile`, 'utf8');
const stages = dockerfileStages(DOCKERFILE);
const tmp = mkdtempSync(join(tmpdir(), 'nasfleet-deploy-images-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
/** A secret file in the test's folder. */
const secret = (name: string, value: string) => {
  const file = join(tmp, name);
  writeFileSync(file, value);
  return file;
};

describe('deploy/docker/Dockerfile (static)', () => {
  it('multi-stage: cpu and gpu targets whose last USER is not root, each with HEALTHCHECK, ENTRYPOINT and CMD', () => {
    expect(stages.length).toBeGreaterThanOrEqual(6);
    for (const target of ['cpu', 'gpu']) {
      const stage = stages.find((s) => s.name === target);
      expect(stage, target).toBeDefined();
      const user = stage!.lines.filter((l) => l.startsWith('USER ')).at(-1);
      expect({ target, user }).toEqual({ target, user: expect.stringMatching(/^USER (node|nasfleet)$/) });
      expect(stage!.lines.some((l) => l.startsWith('HEALTHCHECK ') && l.includes('CMD ["node", "/app/deploy/docker/healthcheck.mjs"]'))).toBe(true);
      expect(stage!.lines).toContain('ENTRYPOINT ["/app/deploy/docker/entrypoint.sh"]');
      expect(stage!.lines.some((l) => l.startsWith('CMD ["node", "--import", "tsx", '))).toBe(true);
    }
  });

  it('every COPY --from names an earlier stage or an image; every other COPY source exists and is not ignored', () => {
    const ignored = readFileSync(`${REPO}.dockerignore`, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    for (const [i, stage] of stages.entries()) {
      for (const line of stage.lines.filter((l) => l.startsWith('COPY '))) {
        const from = /--from=(\S+)/.exec(line)?.[1];
        const [source] = line.replace(/--\S+/g, '').trim().split(/\s+/).slice(1);
        if (from) {
          const earlier = stages.slice(0, i).map((s) => s.name);
          expect({ line, from: earlier.includes(from) || from.includes(':') ? 'ok' : from }).toEqual({ line, from: 'ok' });
        } else {
          expect({ line, exists: existsSync(join(REPO, source!)) }).toEqual({ line, exists: true });
          expect(ignored).not.toContain(source);
        }
      }
    }
    // The install reads every manifest, and the processes read the prompts and the NB201 table: none ignored.
    for (const needed of ['package.json', 'package-lock.json', 'prompts', 'packages/nb201/data', 'deploy/docker']) expect(ignored).not.toContain(needed);
    for (const never of ['**/node_modules', '.git', '.env', 'deploy/secrets']) expect(ignored).toContain(never);
  });

  it('the GPU image: CUDA 11.2 + cuDNN 8 (libtensorflow 2.9.1), memory growth on, the CUDA JIT cache where compose keeps its volume', async () => {
    expect(DOCKERFILE).toMatch(/^ARG CUDA_IMAGE=nvidia\/cuda:11\.2\.\d+-cudnn8-runtime-ubuntu20\.04$/m);
    const gpu = stages.find((s) => s.name === 'gpu')!;
    expect(gpu.from).toBe('${CUDA_IMAGE}');
    const env = gpu.lines.filter((l) => l.startsWith('ENV ')).join(' ');
    expect(env).toContain('TF_FORCE_GPU_ALLOW_GROWTH=true');
    expect(env).toContain('CUDA_CACHE_MAXSIZE=4294967296');
    const cachePath = /CUDA_CACHE_PATH=(\S+)/.exec(env)?.[1];
    const project = await resolveCompose([]);
    expect(project.services['train-worker-gpu0']!.volumes).toContain(`cuda-cache:${cachePath}:rw`);
    // The native binding each image keeps: GPU's in gpu, CPU's in cpu.
    expect(stages.find((s) => s.name === 'deps-gpu')!.lines.join('\n')).toContain('npm rebuild @tensorflow/tfjs-node-gpu && rm -rf node_modules/@tensorflow/tfjs-node\n'.trim());
    expect(stages.find((s) => s.name === 'deps-cpu')!.lines.join('\n')).toContain('npm rebuild @tensorflow/tfjs-node && rm -rf node_modules/@tensorflow/tfjs-node-gpu');
  });
});

describe('deploy/docker/entrypoint.sh (run by sh)', () => {
  const entry = `${REPO}deploy/docker/entrypoint.sh`;
  const show = ['sh', '-c', 'printf "%s|%s" "$REDIS_URL" "$API_TOKEN"'];

  it('is executable; puts the Redis password into REDIS_URL and reads the API token, then runs the command', async () => {
    expect(statSync(entry).mode & 0o111).toBe(0o111);
    const env = { REDIS_URL: 'redis://10.0.0.1:6379', REDIS_PASSWORD_FILE: secret('pw', 'abc123\n'), API_TOKEN_FILE: secret('tok', 'tok-en_1\n') };
    expect(await runFile('sh', [entry, ...show], env)).toEqual({ code: 0, stdout: 'redis://:abc123@10.0.0.1:6379|tok-en_1', stderr: '' });
    expect((await runFile('sh', [entry, ...show], { REDIS_URL: 'rediss://h:1/2' })).stdout).toBe('rediss://h:1/2|');
  });

  it('refuses, naming the variable: a missing or empty file, characters a URL would need escaped, a URL that has credentials', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ REDIS_URL: 'redis://h:1', REDIS_PASSWORD_FILE: join(tmp, 'absent') }, `entrypoint: REDIS_PASSWORD_FILE: ${join(tmp, 'absent')} is not a file (make the secrets first: deploy/init-secrets.sh, docs/deploy.md)`],
      [{ API_TOKEN_FILE: secret('empty', '\n') }, `entrypoint: API_TOKEN_FILE: ${join(tmp, 'empty')} is empty`],
      [{ REDIS_URL: 'redis://h:1', REDIS_PASSWORD_FILE: secret('at', 'a@b') }, `entrypoint: REDIS_PASSWORD_FILE: ${join(tmp, 'at')} may hold only letters, digits, '-' and '_' (e.g. openssl rand -hex 24)`],
      [{ REDIS_URL: 'redis://:x@h:1', REDIS_PASSWORD_FILE: secret('ok', 'abc') }, 'entrypoint: REDIS_URL already holds credentials; drop them or unset REDIS_PASSWORD_FILE'],
      [{ REDIS_URL: 'http://h', REDIS_PASSWORD_FILE: secret('ok2', 'abc') }, "entrypoint: REDIS_URL must be a redis:// or rediss:// URL, got 'http://h'"],
    ];
    for (const [env, message] of cases) expect(await runFile('sh', [entry, ...show], env)).toEqual({ code: 64, stdout: '', stderr: `${message}\n` });
  });
});

describe('deploy/init-secrets.sh (run by sh in a copy of deploy/)', () => {
  it('makes three hex secrets in a folder only its owner reads, keeps them when run again, and the entry point takes them', async () => {
    const deploy = join(tmp, 'init', 'deploy');
    mkdirSync(deploy, { recursive: true });
    cpSync(`${REPO}deploy/init-secrets.sh`, join(deploy, 'init-secrets.sh'));
    const first = await runFile('sh', [join(deploy, 'init-secrets.sh')], {});
    expect(first.code).toBe(0);
    const names = ['redis-password', 'api-token', 'grafana-admin-password'];
    const read = () => names.map((n) => readFileSync(join(deploy, 'secrets', n), 'utf8'));
    const made = read();
    for (const value of made) expect(value).toMatch(/^[0-9a-f]{48}\n$/);
    expect(new Set(made).size).toBe(3);
    expect(statSync(join(deploy, 'secrets')).mode & 0o777).toBe(0o700);
    const again = await runFile('sh', [join(deploy, 'init-secrets.sh')], {});
    expect(again.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['kept', 'kept', 'kept']);
    expect(read()).toEqual(made);
    const env = { REDIS_URL: 'redis://redis:6379', REDIS_PASSWORD_FILE: join(deploy, 'secrets', 'redis-password'), API_TOKEN_FILE: join(deploy, 'secrets', 'api-token') };
    const run = await runFile('sh', [`${REPO}deploy/docker/entrypoint.sh`, 'sh', '-c', 'printf "%s|%s" "$REDIS_URL" "$API_TOKEN"'], env);
    expect(run).toEqual({ code: 0, stdout: `redis://:${made[0]!.trim()}@redis:6379|${made[1]!.trim()}`, stderr: '' });
  });
});

describe('Redis as the compose service starts it (a real redis-server)', () => {
  it('the password from the secret; appendonly, appendfsync everysec, maxmemory-policy noeviction', async () => {
    const project = await resolveCompose([]);
    const command = project.services.redis!.command as string[];
    expect(command.slice(0, 2)).toEqual(['sh', '-c']);
    const dir = join(tmp, 'redis');
    mkdirSync(dir);
    const port = await freePort();
    const password = 'f00dfeed';
    // The container's paths, and $$ (compose's escape), as they are on this machine; this port, folder and loopback only.
    const script = command[2]!
      .replaceAll('$$', '$')
      .replaceAll('/usr/local/etc/redis/redis.conf', `${REPO}deploy/redis/redis.conf`)
      .replaceAll('/run/secrets/redis_password', secret('redis-password', `${password}\n`))
      .replaceAll('/tmp/redis.conf', join(dir, 'redis.conf'))
      .replace(/exec redis-server (\S+)$/, `exec redis-server $1 --port ${port} --dir ${dir} --bind 127.0.0.1 --daemonize yes --pidfile ${dir}/redis.pid`);
    expect(script).toMatch(/--daemonize yes/);
    expect(await runFile('sh', ['-c', script], {})).toMatchObject({ code: 0 });
    try {
      const cli = (...args: string[]) => runFile('redis-cli', ['-p', String(port), ...args], {});
      // Without the password every command is refused.
      expect(await waitFor(async () => (await cli('ping')).stdout.includes('NOAUTH'), 'redis-server to answer', 30_000, 100)).toBe(true);
      const auth = { REDISCLI_AUTH: password };
      const get = async (key: string) => (await runFile('redis-cli', ['-p', String(port), 'config', 'get', key], auth)).stdout.trim().split('\n')[1];
      expect(await get('appendonly')).toBe('yes');
      expect(await get('appendfsync')).toBe('everysec');
      expect(await get('maxmemory-policy')).toBe('noeviction');
      expect(statSync(join(dir, 'redis.conf')).mode & 0o077).toBe(0);
    } finally {
      await runFile('redis-cli', ['-p', String(port), 'shutdown', 'nosave'], { REDISCLI_AUTH: password });
    }
  });
});

describe('deploy/prometheus/prometheus.yml (promtool)', () => {
  it('is valid as it is, and with every example targets file and the token the guide makes', async () => {
    expect(await runFile('promtool', ['check', 'config', '--syntax-only', 'deploy/prometheus/prometheus.yml'], {}, REPO)).toMatchObject({ code: 0 });
    const dir = join(tmp, 'layout');
    mkdirSync(join(dir, 'prometheus', 'targets'), { recursive: true });
    mkdirSync(join(dir, 'secrets'));
    cpSync(`${REPO}deploy/prometheus/prometheus.yml`, join(dir, 'prometheus', 'prometheus.yml'));
    cpSync(`${REPO}deploy/prometheus/examples`, join(dir, 'prometheus', 'targets'), { recursive: true });
    writeFileSync(join(dir, 'secrets', 'api-token'), 'token\n');
    const run = await runFile('promtool', ['check', 'config', join(dir, 'prometheus', 'prometheus.yml')], {});
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain('SUCCESS');
    // A broken targets file fails the check: the files are read.
    writeFileSync(join(dir, 'prometheus', 'targets', 'broken.yml'), '- targeets: [a:1]\n');
    expect((await runFile('promtool', ['check', 'config', join(dir, 'prometheus', 'prometheus.yml')], {})).code).not.toBe(0);
  });

  it("the orchestrator job's token file is where compose mounts deploy/secrets/api-token", async () => {
    const config = parse(readFileSync(`${REPO}deploy/prometheus/prometheus.yml`, 'utf8')) as { scrape_configs: { job_name: string; authorization?: { credentials_file: string } }[] };
    const file = config.scrape_configs.find((s) => s.job_name === 'orchestrator')!.authorization!.credentials_file;
    const volumes = (await resolveCompose([])).services.prometheus!.volumes as (string | { source: string; target: string })[];
    expect(volumes).toContain(`${REPO}deploy/prometheus:/etc/prometheus:ro`);
    const token = volumes.find((v) => typeof v === 'object' && v.source === `${REPO}deploy/secrets/api-token`) as { target: string };
    expect(posix.resolve('/etc/prometheus', file)).toBe(token.target);
    expect(posix.resolve('/deploy/prometheus', file)).toBe('/deploy/secrets/api-token');
  });
});
