import { Redis } from 'ioredis';

/** What a Redis server processed in a window: commands, and bytes in from and out to its clients. */
export interface RedisTraffic {
  commands: number;
  bytesIn: number;
  bytesOut: number;
}

async function counters(client: Redis): Promise<RedisTraffic> {
  const info = await client.info('stats');
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? NaN);
  return { commands: field('total_commands_processed'), bytesIn: field('total_net_input_bytes'), bytesOut: field('total_net_output_bytes') };
}

/**
 * Starts counting a Redis server's traffic (INFO stats); the returned function stops and gives the
 * difference. Every client's traffic counts (also the meter's own INFO, one command each way), so on
 * a Redis others use too the figures are an upper bound.
 */
export async function redisTrafficMeter(url: string): Promise<() => Promise<RedisTraffic>> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  const before = await counters(client);
  return async () => {
    try {
      const after = await counters(client);
      return { commands: after.commands - before.commands, bytesIn: after.bytesIn - before.bytesIn, bytesOut: after.bytesOut - before.bytesOut };
    } finally {
      client.disconnect();
    }
  };
}

/** "12.0 commands, 3.1 kB in, 1.2 kB out per candidate". */
export function describeTraffic(t: RedisTraffic, count: number, unit: string): string {
  const kb = (b: number) => `${(b / count / 1000).toFixed(1)} kB`;
  return `${(t.commands / count).toFixed(1)} commands, ${kb(t.bytesIn)} in, ${kb(t.bytesOut)} out per ${unit}`;
}
