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
  if (redisUrl !== undefined && !/^rediss?:\/\/\S+$/.test(redisUrl)) throw new Error(`REDIS_URL must be a redis:// or rediss:// URL, got ${JSON.stringify(redisUrl)}`);
  return { redisUrl: redisUrl ?? null, childEnv };
}
