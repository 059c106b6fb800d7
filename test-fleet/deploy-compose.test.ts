import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeConfig, readEnvFile, resolveCompose, servicesFor } from './support/deploy-compose.ts';
import type { ComposeService, ResolvedCompose } from './support/deploy-compose.ts';
import { REPO } from './support/deploy-dashboard.ts';

/**
 * The compose deployment as Debian's docker-compose 1.29 resolves it (`config`: the file format
 * checked, variables interpolated, files merged), for every box's settings file and for the
 * main file alone and with the GPU override: which services each box runs, the GPU reservations,
 * healthchecks, secrets. No Docker engine is needed, and none is used: the images are never built.
 */

const ENV_DIR = `${REPO}deploy/env/`;
const GPUS = ['-f', 'docker-compose.yml', '-f', 'deploy/compose.gpus.yml'];
const OUR_IMAGES = /^nasfleet:(cpu|gpu)$/;

const device = (s: ComposeService) => s.deploy?.resources?.reservations?.devices ?? [];

/** What each box's settings file must start. */
const BOXES: Record<string, string[]> = {
  'single-box.env': ['grafana', 'llm-worker', 'ollama', 'ollama-pull', 'orchestrator', 'prometheus', 'redis', 'train-worker-gpu0'],
  'head.env': ['grafana', 'orchestrator', 'prometheus', 'redis'],
  'gpu-box.env': ['llm-worker', 'ollama', 'ollama-pull', 'train-worker-gpu0', 'train-worker-gpu1', 'train-worker-gpu2', 'train-worker-gpu3'],
  'cpu-box.env': ['llm-worker-cpu', 'train-worker-cpu'],
};

describe('docker-compose config', () => {
  it('every box settings file resolves, and its COMPOSE_PROFILES start exactly that box\'s services', async () => {
    expect(readdirSync(ENV_DIR).filter((f) => f.endsWith('.env')).sort()).toEqual(Object.keys(BOXES).sort());
    for (const [file, expected] of Object.entries(BOXES)) {
      const settings = readEnvFile(readFileSync(ENV_DIR + file, 'utf8'));
      // COMPOSE_FILE in the settings (the GPU box's override) is honoured as a .env at the root would be.
      const project = await resolveCompose(['--env-file', `deploy/env/${file}`]);
      const profiles = (settings.COMPOSE_PROFILES ?? '').split(',');
      expect({ file, services: servicesFor(project, profiles) }).toEqual({ file, services: expected });
    }
  });

  it('a GPU box joins the head\'s Redis with the password from its secret file; its metrics ports are on METRICS_BIND', async () => {
    const project = await resolveCompose(['--env-file', 'deploy/env/gpu-box.env']);
    const gpu = readEnvFile(readFileSync(`${ENV_DIR}gpu-box.env`, 'utf8'));
    for (const name of ['llm-worker', 'train-worker-gpu0', 'train-worker-gpu3']) {
      const env = project.services[name]!.environment!;
      expect({ name, url: env.REDIS_URL, file: env.REDIS_PASSWORD_FILE }).toEqual({ name, url: `redis://${gpu.REDIS_HOST}:${gpu.REDIS_PORT}`, file: '/run/secrets/redis_password' });
    }
    expect(project.services['train-worker-gpu3']!.ports).toEqual([`${gpu.METRICS_BIND}:9473:9464/tcp`]);
    expect(project.services.ollama!.ports).toEqual([`${gpu.METRICS_BIND}:9464:9464/tcp`]);
    // The LLM worker answers at Ollama's address (it shares its network) and talks to it on 127.0.0.1.
    expect(project.services['llm-worker']!.network_mode).toBe('service:ollama');
  });

  it('one training worker per GPU: GPU N reserved for train-worker-gpuN alone (driver nvidia, capability gpu); Ollama gets every GPU', async () => {
    const project = await resolveCompose(GPUS);
    const gpuWorkers = Object.keys(project.services).filter((n) => n.startsWith('train-worker-gpu')).sort();
    expect(gpuWorkers).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => `train-worker-gpu${n}`));
    for (const [n, name] of gpuWorkers.entries()) {
      const s = project.services[name]!;
      expect({ name, devices: device(s) }).toEqual({ name, devices: [{ driver: 'nvidia', device_ids: [String(n)], capabilities: ['gpu'] }] });
      expect(s.profiles).toEqual([`gpu${n}`]);
      expect(s.environment?.WORKER_ID).toBe(`box-gpu${n}`);
      expect(s.environment?.TF_FORCE_GPU_ALLOW_GROWTH).toBe('true');
      expect(s.build?.target).toBe('gpu');
    }
    expect(device(project.services.ollama!)).toEqual([{ driver: 'nvidia', count: 'all', capabilities: ['gpu'] }]);
    // The main file alone: only GPU 0's worker, the same reservation.
    const main = await resolveCompose([]);
    expect(device(main.services['train-worker-gpu0']!)).toEqual([{ driver: 'nvidia', device_ids: ['0'], capabilities: ['gpu'] }]);
  });

  it("deploy/compose.gpus.yml's workers are docker-compose.yml's train-worker-gpu0 but for profile, GPU, port and WORKER_ID", async () => {
    const project = await resolveCompose(GPUS);
    const strip = (s: ComposeService) => {
      const { profiles: _p, ports: _ports, deploy: _d, environment, ...rest } = s;
      const { WORKER_ID: _w, ...env } = environment ?? {};
      return { ...rest, environment: env };
    };
    const gpu0 = strip(project.services['train-worker-gpu0']!);
    for (let n = 1; n < 8; n++) expect({ n, ...strip(project.services[`train-worker-gpu${n}`]!) }).toEqual({ n, ...gpu0 });
    // Each GPU's metrics on its own host port, 9470 + N.
    const ports = Object.entries(project.services).filter(([n]) => n.startsWith('train-worker-gpu')).map(([, s]) => s.ports?.[0]);
    expect(ports).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => `127.0.0.1:${9470 + n}:9464/tcp`));
  });

  it('every long-running service has a healthcheck (ours from the images\' HEALTHCHECK), restarts, and takes no secret from its environment', async () => {
    const project: ResolvedCompose = await resolveCompose(GPUS);
    const dockerfile = readFileSync(`${REPO}deploy/docker/Dockerfile`, 'utf8');
    for (const [name, s] of Object.entries(project.services)) {
      const oneShot = s.restart === 'no';
      if (oneShot) {
        expect(name).toBe('ollama-pull');
        continue;
      }
      expect({ name, restart: s.restart }).toEqual({ name, restart: 'unless-stopped' });
      if (s.image && OUR_IMAGES.test(s.image)) {
        expect({ name, healthcheck: s.healthcheck }).toEqual({ name, healthcheck: undefined });
        expect(dockerfile).toMatch(new RegExp(`FROM \\S+ AS ${s.build!.target}\\n[\\s\\S]*?HEALTHCHECK [^\\n]*CMD \\["node", "/app/deploy/docker/healthcheck.mjs"\\]`));
      } else {
        expect({ name, test: s.healthcheck?.test[0] }).toEqual({ name, test: expect.stringMatching(/^CMD(-SHELL)?$/) });
      }
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD|TOKEN|SECRET/.test(key)) expect({ name, key, value }).toEqual({ name, key, value: expect.stringMatching(/^\/run\/secrets\/\w+$/) });
      }
    }
  });

  it('Redis runs as its own user with the secret as password; the orchestrator gets both secrets as files and a fixed id', async () => {
    const project = await resolveCompose([]);
    const redis = project.services.redis!;
    expect(redis.user).toBe('redis');
    expect(redis.secrets).toEqual([{ source: 'redis_password' }]);
    expect(project.secrets).toEqual({
      redis_password: { file: `${REPO}deploy/secrets/redis-password` },
      api_token: { file: `${REPO}deploy/secrets/api-token` },
      grafana_admin_password: { file: `${REPO}deploy/secrets/grafana-admin-password` },
    });
    const orchestrator = project.services.orchestrator!;
    expect(orchestrator.environment).toMatchObject({ REDIS_URL: 'redis://redis:6379', REDIS_PASSWORD_FILE: '/run/secrets/redis_password', API_TOKEN_FILE: '/run/secrets/api_token', ORCHESTRATOR_ID: 'head-orchestrator' });
    expect(orchestrator.secrets).toEqual([{ source: 'redis_password' }, { source: 'api_token' }]);
    // Published on the loopback unless a box's settings say otherwise.
    for (const name of ['redis', 'orchestrator', 'prometheus', 'grafana']) expect(project.services[name]!.ports?.[0]).toMatch(/^127\.0\.0\.1:/);
  });

  it("a mistake in the settings is refused by config, naming the service and key", async () => {
    const run = await composeConfig([], { REDIS_PORT: '63a79' });
    // compose 1.29 checks port syntax at config time.
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/services\.redis\.ports contains an invalid type/);
  });
});
