import type { Redis } from 'ioredis';

/**
 * Lua scripts of the launch store. Each runs atomically in Redis, which is what makes idempotent
 * creation and cancel-versus-launch races safe.
 */

/**
 * Creates a launch record. KEYS: launch HASH, history LIST, creation ZSET, active SET and, when the
 * request has an Idempotency-Key, the idempotency STRING. ARGV: id, creation score, history entry,
 * status channel, status message, idempotency value, idempotency TTL in seconds, then the HASH
 * fields as name/value pairs. Returns {'created'}, or {'exists', value} when the idempotency key
 * is already taken (value is false if that key expired in between).
 */
const CREATE_LAUNCH = `
if #KEYS == 5 then
  local taken = redis.call('SET', KEYS[5], ARGV[6], 'NX', 'EX', ARGV[7])
  if not taken then
    return {'exists', redis.call('GET', KEYS[5])}
  end
end
redis.call('HSET', KEYS[1], unpack(ARGV, 8))
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return {'created'}
`;

/**
 * Deletes a launch record whose job could not be queued. KEYS as CREATE_LAUNCH. ARGV: id. The
 * idempotency key is deleted only while it still names this launch.
 */
const DELETE_UNQUEUED_LAUNCH = `
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
if #KEYS == 5 then
  local value = redis.call('GET', KEYS[5])
  if value and cjson.decode(value).id == ARGV[1] then
    redis.call('DEL', KEYS[5])
  end
end
return 1
`;

/**
 * Cancels a QUEUED launch, or marks a started one for a kill. KEYS: launch HASH, history LIST,
 * active SET. ARGV: id, time (ISO 8601), history entry, status channel, status message, kill
 * channel, cancel message. Returns {'not_found'}, {'terminal', state}, {'cancelled', 'CANCELLED'}
 * or {'kill_requested', state}. Both outcomes publish the id on the kill channel, so a worker
 * holding the job of a cancelled launch drops it without reading every status change.
 */
const KILL_LAUNCH = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  return {'not_found'}
end
if redis.call('HGET', KEYS[1], 'terminal') == '1' then
  return {'terminal', state}
end
if state == 'QUEUED' then
  redis.call('HSET', KEYS[1], 'state', 'CANCELLED', 'terminal', '1', 'updated_at', ARGV[2], 'message', ARGV[7])
  redis.call('HDEL', KEYS[1], 'reason', 'source')
  redis.call('RPUSH', KEYS[2], ARGV[3])
  redis.call('SREM', KEYS[3], ARGV[1])
  redis.call('PUBLISH', ARGV[4], ARGV[5])
  redis.call('PUBLISH', ARGV[6], ARGV[1])
  return {'cancelled', 'CANCELLED'}
end
redis.call('HSET', KEYS[1], 'kill_requested', '1')
redis.call('PUBLISH', ARGV[6], ARGV[1])
return {'kill_requested', state}
`;

type ScriptReply = Array<string | null>;

/** The scripts as ioredis commands; the first argument is the number of keys. */
export interface LaunchStoreScripts {
  mesosLaunchCreate(numberOfKeys: number, ...keysAndArgs: string[]): Promise<ScriptReply>;
  mesosLaunchDeleteUnqueued(numberOfKeys: number, ...keysAndArgs: string[]): Promise<number>;
  mesosLaunchKill(numberOfKeys: number, ...keysAndArgs: string[]): Promise<ScriptReply>;
}

/**
 * Registers the scripts on a client (once per client) and returns them. ioredis sends EVALSHA
 * and falls back to EVAL when Redis does not have the script yet.
 */
export function defineLaunchStoreScripts(redis: Redis): LaunchStoreScripts {
  const scripts = redis as unknown as Partial<LaunchStoreScripts>;

  if (typeof scripts.mesosLaunchCreate !== 'function') {
    redis.defineCommand('mesosLaunchCreate', { lua: CREATE_LAUNCH });
    redis.defineCommand('mesosLaunchDeleteUnqueued', { lua: DELETE_UNQUEUED_LAUNCH });
    redis.defineCommand('mesosLaunchKill', { lua: KILL_LAUNCH });
  }

  return redis as unknown as LaunchStoreScripts;
}
