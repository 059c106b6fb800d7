import { z } from 'zod';

/**
 * The variables `npm run fleet` itself reads (every other one is passed on to the processes it
 * starts); each one's description is its entry in docs/configuration.md (`npm run config-docs`).
 */
export const FleetEnvSchema = z.object({
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/).optional().describe('A Redis to use (redis:// or rediss://) instead of starting a redis-server of its own on a free port.'),
});

/** The only place `npm run fleet` reads its environment. */
export interface FleetEnv {
  /** REDIS_URL: a Redis to use instead of starting one (null: start one). */
  redisUrl: string | null;
  /** What every process of the fleet starts with: this environment (PATH, OPENAI_API_KEY, …), REDIS_URL set apart. */
  childEnv: NodeJS.ProcessEnv;
}

/** Reads the environment; REDIS_URL must be a redis:// or rediss:// URL when set. */
export function readFleetEnv(env: NodeJS.ProcessEnv = process.env): FleetEnv {
  const { REDIS_URL: redisUrl, ...childEnv } = env;
  if (!FleetEnvSchema.shape.REDIS_URL.safeParse(redisUrl).success) throw new Error(`REDIS_URL must be a redis:// or rediss:// URL, got ${JSON.stringify(redisUrl)}`);
  return { redisUrl: redisUrl ?? null, childEnv };
}
