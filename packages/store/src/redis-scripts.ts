import type { Cluster, Redis } from 'ioredis';

/**
 * The store's Lua scripts: each check-and-write runs in Redis as one atomic step, so a deposed
 * writer can never slip a write in between a fence check and the write, and seqs are assigned
 * where they are written. Every script returns a status word first, then its values, all as text;
 * every check comes before the first write, so a refused call writes nothing.
 *
 * KEYS[1] of every per-search script is the search's record (an unknown search answers 'unknown'),
 * KEYS[2] of every fenced one its lease (`<token>:<owner>`).
 */

const FENCE_CHECK = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end
local lease = redis.call('GET', KEYS[2])
local tok = ''
if lease then
  tok = string.match(lease, '^(%d+):')
  if not tok then return {'corrupt', KEYS[2], 'the lease is not <token>:<owner>'} end
end
if tok ~= ARGV[1] then return {'stale', tok} end
local function count(key, field)
  local v = redis.call('HGET', key, field)
  if not v then return 0 end
  if not string.match(v, '^%d+$') then error('corrupt:' .. key .. ':' .. field) end
  return tonumber(v)
end
`;

/** The corrupt-counter errors `count` raises, as a reply: the script's checks run before any write. */
const guarded = (body: string): string => `
local ok, res = pcall(function()
${body}
end)
if ok then return res end
local msg = tostring(type(res) == 'table' and res.err or res)
local key, field = string.match(msg, 'corrupt:(.+):([^:]+)$')
if key then return {'corrupt', key, field .. ' is not a whole number'} end
return redis.error_reply(msg)
`;

const scripts = {
  /** KEYS record, idempotency, searches, order; ARGV id, idempotency key ('' = none), field, value, … */
  nasfleetStoreCreate: { keys: 4, lua: `
if ARGV[2] ~= '' then
  local existing = redis.call('HGET', KEYS[2], ARGV[2])
  if existing then return {'existing', existing} end
end
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[1])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], ARGV[2], ARGV[1]) end
return {'created'}` },

  /** KEYS record, lease, fence; ARGV owner, ttlMs. A new token unless another owner holds the lease. */
  nasfleetStoreAcquire: { keys: 3, lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end
local lease = redis.call('GET', KEYS[2])
if lease then
  local tok, owner = string.match(lease, '^(%d+):(.*)$')
  if not tok then return {'corrupt', KEYS[2], 'the lease is not <token>:<owner>'} end
  if owner ~= ARGV[1] then return {'held', tok} end
end
local token = redis.call('INCR', KEYS[3])
redis.call('SET', KEYS[2], string.format('%d:%s', token, ARGV[1]), 'PX', ARGV[2])
return {'ok', string.format('%d', token)}` },

  /** KEYS record, lease; ARGV '<token>:<owner>', ttlMs. 'expired': no lease at all; 'taken': another one. */
  nasfleetStoreRenew: { keys: 2, lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end
local lease = redis.call('GET', KEYS[2])
if not lease then return {'expired'} end
if lease ~= ARGV[1] then return {'taken'} end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return {'ok'}` },

  /** KEYS record, lease; ARGV '<token>:<owner>'. */
  nasfleetStoreRelease: { keys: 2, lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {'lost'} end
redis.call('DEL', KEYS[2])
return {'ok'}` },

  /**
   * KEYS record, lease, journal meta, journal, candidates; ARGV fence, r (records), then r pairs of
   * candidate id and record JSON, then entry JSON, …. Puts the records, appends the entries; returns
   * the first entry's seq.
   */
  nasfleetStoreCommit: { keys: 5, lua: guarded(`${FENCE_CHECK}
local r = tonumber(ARGV[2])
local n = #ARGV - 2 - 2 * r
local first = count(KEYS[3], 'last') + 1
if n > 0 then
  local top = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', 1)[1]
  if top and tonumber(string.match(top[1], '^(%d+)-')) >= first then
    return {'corrupt', KEYS[3], 'last is behind the journal (' .. top[1] .. ')'}
  end
end
for i = 1, r do
  redis.call('HSET', KEYS[5], ARGV[1 + 2 * i], ARGV[2 + 2 * i])
end
if n == 0 then return {'ok', string.format('%d', first)} end
redis.call('HSET', KEYS[3], 'last', string.format('%d', first + n - 1))
local base = 2 + 2 * r
for i = 1, n do
  redis.call('XADD', KEYS[4], string.format('%d-0', first + i - 1), 'e', ARGV[base + i])
end
return {'ok', string.format('%d', first)}`) },

  /** KEYS record, lease, journal meta, snapshot; ARGV fence, atSeq, snapshot JSON. */
  nasfleetStoreSnapshot: { keys: 4, lua: guarded(`${FENCE_CHECK}
local at = tonumber(ARGV[2])
local last = count(KEYS[3], 'last')
if at > last then return {'beyond', string.format('%d', last)} end
if redis.call('HEXISTS', KEYS[4], 'atSeq') == 1 then
  local saved = count(KEYS[4], 'atSeq')
  if at < saved then return {'older', string.format('%d', saved)} end
end
redis.call('HSET', KEYS[4], 'atSeq', ARGV[2], 'data', ARGV[3])
return {'ok'}`) },

  /** KEYS record, lease, journal meta, snapshot, journal; ARGV fence, uptoSeq. Returns how many went. */
  nasfleetStoreTrim: { keys: 5, lua: guarded(`${FENCE_CHECK}
local upto = tonumber(ARGV[2])
local saved = nil
if redis.call('HEXISTS', KEYS[4], 'atSeq') == 1 then saved = count(KEYS[4], 'atSeq') end
if upto > (saved or 0) then return {'beyond', saved and string.format('%d', saved) or ''} end
if upto <= count(KEYS[3], 'trimmed') then return {'ok', '0'} end
local removed = redis.call('XTRIM', KEYS[5], 'MINID', string.format('%d-1', upto))
redis.call('HSET', KEYS[3], 'trimmed', ARGV[2])
return {'ok', string.format('%d', removed)}`) },

  /** KEYS record; ARGV requested JSON, updatedAt JSON. Refused ('ended', status JSON) once the search ended. */
  nasfleetStoreRequest: { keys: 1, lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end
local status = redis.call('HGET', KEYS[1], 'status')
if status == '"done"' or status == '"failed"' or status == '"cancelled"' then return {'ended', status} end
redis.call('HSET', KEYS[1], 'requested', ARGV[1], 'updatedAt', ARGV[2])
return {'ok'}` },

  /** KEYS record, lease, candidates; ARGV fence, candidate id, record JSON. */
  nasfleetStorePutCandidate: { keys: 3, lua: guarded(`${FENCE_CHECK}
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
return {'ok'}`) },

  /** KEYS record, lease; ARGV fence, field, value, … (the record's changed fields). */
  nasfleetStoreStatus: { keys: 2, lua: guarded(`${FENCE_CHECK}
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return {'ok'}`) },
} as const;

type ScriptName = keyof typeof scripts;

/** The scripts as methods of a client they were defined on: keys then arguments, a list of text back. */
export type StoreScripts = Record<ScriptName, (...keysAndArgs: string[]) => Promise<string[]>>;

/** Defines the scripts on `client` (ioredis runs them by SHA and reloads them after a Redis restart). */
export function defineStoreScripts(client: Redis | Cluster): StoreScripts {
  for (const [name, { keys, lua }] of Object.entries(scripts)) client.defineCommand(name, { numberOfKeys: keys, lua });
  return client as unknown as StoreScripts;
}
