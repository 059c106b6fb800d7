import { describe, expect, it } from 'vitest';
import { OrchestratorConfigError, readOrchestratorConfig } from './config.ts';

describe('readOrchestratorConfig', () => {
  it('fills in the defaults from REDIS_URL alone', () => {
    const config = readOrchestratorConfig({ REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.queue.prefix).toBe('{nasfleet}');
    expect(config.leaseTtlMs).toBe(30_000);
    expect(config.orchestratorId).toMatch(/-\d+$/);
  });

  it('names every bad variable', () => {
    expect(() => readOrchestratorConfig({ LEASE_TTL_MS: 'soon' })).toThrow(OrchestratorConfigError);
    expect(() => readOrchestratorConfig({ LEASE_TTL_MS: 'soon' })).toThrow(/REDIS_URL[\s\S]*LEASE_TTL_MS|LEASE_TTL_MS[\s\S]*REDIS_URL/);
    expect(() => readOrchestratorConfig({ REDIS_URL: 'redis://x:1', QUEUE_PREFIX: 'nasfleet' })).toThrow(/QUEUE_PREFIX/);
    expect(() => readOrchestratorConfig({ REDIS_URL: 'redis://x:1', QUEUE_CONFIG: '{' })).toThrow(/QUEUE_CONFIG/);
  });
});
