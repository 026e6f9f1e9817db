import { RedisScript } from './redis-script.js';

/**
 * Marks a QUEUED launch LAUNCHING with its task id, agent, hostname and ports, only while this
 * worker holds the lease, the launch is still QUEUED, no kill was requested and its attempt is
 * the one the caller read. The attempt check makes each task id be handed out once.
 *
 * KEYS: launch hash, history list, worker lease.
 * ARGV: holder id, expected attempt, new attempt, task id, agent id, hostname, ports JSON,
 * updated_at, history entry JSON, status channel, launch id.
 * Returns `ok`, `not-leader`, `missing`, `not-queued`, `kill-requested` or `attempt-changed`.
 */
export const MARK_LAUNCHING = new RedisScript(
  'mark-launching',
  `if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 'not-leader' end
local current = redis.call('HMGET', KEYS[1], 'state', 'kill_requested', 'attempt')
if not current[1] then return 'missing' end
if current[1] ~= 'QUEUED' then return 'not-queued' end
if current[2] == '1' then return 'kill-requested' end
if (current[3] or '0') ~= ARGV[2] then return 'attempt-changed' end
redis.call('HSET', KEYS[1], 'state', 'LAUNCHING', 'terminal', '0', 'attempt', ARGV[3],
  'task_id', ARGV[4], 'agent_id', ARGV[5], 'hostname', ARGV[6], 'ports', ARGV[7],
  'ip_addresses', '[]', 'updated_at', ARGV[8])
redis.call('HDEL', KEYS[1], 'reason', 'message', 'source')
redis.call('RPUSH', KEYS[2], ARGV[9])
redis.call('PUBLISH', ARGV[10], cjson.encode({id = ARGV[11], state = 'LAUNCHING',
  task_id = ARGV[4], updated_at = ARGV[8]}))
return 'ok'`,
);

/**
 * Ends a launch that is still QUEUED as CANCELLED or EXPIRED, with a message and a reason (an
 * empty reason leaves the field absent).
 *
 * KEYS: launch hash, history list, active launches set.
 * ARGV: new state, reason, message, updated_at, history entry JSON, status channel, launch id.
 * Returns `ok`, `missing` or the state the launch has instead of QUEUED.
 */
export const END_QUEUED_LAUNCH = new RedisScript(
  'end-queued-launch',
  `local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 'missing' end
if state ~= 'QUEUED' then return state end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'terminal', '1', 'message', ARGV[3],
  'updated_at', ARGV[4])
redis.call('HDEL', KEYS[1], 'reason', 'source', 'agent_id', 'hostname')
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'reason', ARGV[2]) end
redis.call('RPUSH', KEYS[2], ARGV[5])
redis.call('SREM', KEYS[3], ARGV[7])
redis.call('PUBLISH', ARGV[6], cjson.encode({id = ARGV[7], state = ARGV[1],
  task_id = cjson.null, updated_at = ARGV[4]}))
return 'ok'`,
);

/**
 * Records one task status update on its launch, once per dedupe key, and decides what it means.
 *
 * KEYS: launch hash, history list, seen-updates set, active launches set.
 * ARGV: 1 launch id, 2 task id, 3 state, 4 source, 5 reason, 6 message (empty = absent),
 * 7 agent id (empty = absent), 8 ip_addresses JSON (empty = not reported), 9 dedupe key,
 * 10 updated_at, 11 history entry JSON, 12 maximum attempts, 13 status channel,
 * 14 '1' for a reply to a reconciliation, 15 '1' when the state means the task never started
 * (a retry candidate), 16 '1' for a terminal state, 17 state to keep when giving up,
 * 18 history entry JSON for the retry (QUEUED).
 *
 * Returns { outcome, kill_requested, ever_running, attempt, previous state }. Outcomes:
 * `unknown-launch`, `duplicate`, `stale-task` (an earlier attempt's task, or no task is current),
 * `unchanged` (a reconciliation reply that repeats the current state), `after-terminal`,
 * `regressed` (an older state than the current one), `retry`, `gave-up`, `recorded`.
 */
export const RECORD_STATUS = new RedisScript(
  'record-status',
  `local rank = { LAUNCHING = 1, TASK_STAGING = 2, TASK_STARTING = 3, TASK_RUNNING = 4,
  TASK_KILLING = 5 }
local ended = { CANCELLED = true, EXPIRED = true, TASK_FINISHED = true, TASK_FAILED = true,
  TASK_KILLED = true, TASK_ERROR = true, TASK_LOST = true, TASK_DROPPED = true, TASK_GONE = true,
  TASK_GONE_BY_OPERATOR = true }
local current = redis.call('HMGET', KEYS[1], 'state', 'task_id', 'attempt', 'ever_running',
  'kill_requested')
local state = current[1]
if not state then return { 'unknown-launch', '0', '0', '0', '' } end
local kill = current[5] or '0'
local ever = current[4] or '0'
local attempt = current[3] or '0'
local reconcile = ARGV[14] == '1'
local function reply(outcome) return { outcome, kill, ever, attempt, state } end
if redis.call('SISMEMBER', KEYS[3], ARGV[9]) == 1 then return reply('duplicate') end
local function remember()
  if not reconcile then redis.call('SADD', KEYS[3], ARGV[9]) end
end
local function refresh()
  if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'agent_id', ARGV[7]) end
  if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'ip_addresses', ARGV[8]) end
end
local function history_only(outcome)
  if not reconcile then
    remember()
    redis.call('RPUSH', KEYS[2], ARGV[11])
  end
  return reply(outcome)
end
if current[2] ~= ARGV[2] or state == 'QUEUED' then return history_only('stale-task') end
if ended[state] then return history_only('after-terminal') end
if reconcile and state == ARGV[3] then
  refresh()
  return reply('unchanged')
end
local old_rank = rank[state]
local new_rank = rank[ARGV[3]]
if ARGV[16] ~= '1' and old_rank and new_rank and new_rank < old_rank then
  return history_only('regressed')
end
remember()
local function set_reason()
  redis.call('HDEL', KEYS[1], 'source', 'reason', 'message')
  if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'source', ARGV[4]) end
  if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'reason', ARGV[5]) end
  if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'message', ARGV[6]) end
end
local function publish(new_state)
  redis.call('PUBLISH', ARGV[13], cjson.encode({ id = ARGV[1], state = new_state,
    task_id = ARGV[2], updated_at = ARGV[10] }))
end
redis.call('RPUSH', KEYS[2], ARGV[11])
if ARGV[3] == 'TASK_RUNNING' then ever = '1' end
if ARGV[15] == '1' and ever ~= '1' and kill ~= '1' and tonumber(attempt) < tonumber(ARGV[12]) then
  set_reason()
  redis.call('HSET', KEYS[1], 'state', 'QUEUED', 'terminal', '0', 'updated_at', ARGV[10])
  redis.call('HDEL', KEYS[1], 'agent_id', 'hostname', 'ports', 'ip_addresses')
  redis.call('RPUSH', KEYS[2], ARGV[18])
  publish('QUEUED')
  return reply('retry')
end
local outcome = 'recorded'
local new_state = ARGV[3]
if ARGV[15] == '1' and ever ~= '1' then
  outcome = 'gave-up'
  new_state = ARGV[17]
end
set_reason()
refresh()
local terminal = '0'
if ended[new_state] then
  terminal = '1'
  redis.call('SREM', KEYS[4], ARGV[1])
end
redis.call('HSET', KEYS[1], 'state', new_state, 'terminal', terminal, 'ever_running', ever,
  'updated_at', ARGV[10])
publish(new_state)
return reply(outcome)`,
);

/**
 * Says in the message of a QUEUED launch what offer it waits for, unless the launch already has
 * a message (such as why its last task failed), which stays.
 *
 * KEYS: launch hash. ARGV: message.
 * Returns 1 when the message was written, 0 otherwise.
 */
export const NOTE_WAITING = new RedisScript(
  'note-waiting',
  `if redis.call('HGET', KEYS[1], 'state') ~= 'QUEUED' then return 0 end
if redis.call('HEXISTS', KEYS[1], 'message') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'message', ARGV[1])
return 1`,
);
