import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys.js';
import { recordToStatus } from './record.js';
import { InvalidCursorError } from './store-errors.js';
import type { LaunchStatus } from './types.js';

export interface ListLaunchesQuery {
  /** Only launches in one of these states; all launches when absent or empty. */
  states?: readonly string[];
  /** Maximum number of launches on the page, at least 1. */
  limit: number;
  /** The `next_cursor` of the previous page. */
  cursor?: string;
}

/** One page of launches, newest first; `next_cursor` is null on the last page. */
export interface LaunchPage {
  launches: LaunchStatus[];
  next_cursor: string | null;
}

/** A place in the creation ZSET: the score (creation time in ms) and the member (launch id). */
interface Position {
  score: number;
  id: string;
}

const FILTERED_BATCH_SIZE = 100;

/**
 * Upper bound of the launches one filtered list request reads. When a rare state leaves the page
 * short, the page ends early with a cursor, and the client continues from there.
 */
const MAX_SCANNED = 2_000;

/**
 * Lists launches newest first. Paging is by position (creation time, then id), not by offset, so
 * launches created while a client pages do not shift or repeat entries. Launches created in the
 * same millisecond are ordered by id, in the order ZRANGE REV returns them.
 */
export async function listLaunches(
  redis: Redis,
  keys: RedisKeys,
  query: ListLaunchesQuery,
): Promise<LaunchPage> {
  const states = query.states && query.states.length > 0 ? new Set(query.states) : undefined;
  const found: Array<{ status: LaunchStatus; position: Position }> = [];
  let bound = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  let scanned = 0;
  let skip = 0;

  while (found.length <= query.limit && scanned < MAX_SCANNED) {
    const batchSize = states ? FILTERED_BATCH_SIZE : query.limit + 1 - found.length;
    const batch = await readPositions(redis, keys, bound, skip, batchSize);

    if (batch.fetched === 0) {
      return toPage(found, query.limit, undefined);
    }

    // Only launches of the bound's millisecond that were already listed came back: skip them.
    if (batch.positions.length === 0) {
      skip += batch.fetched;
      continue;
    }

    skip = 0;
    const statuses = await readStatuses(redis, keys, batch.positions, states);
    for (const [index, position] of batch.positions.entries()) {
      scanned += 1;
      bound = position;
      const status = statuses[index];
      if (status) {
        found.push({ status, position });
      }
      if (found.length > query.limit) {
        break;
      }
    }
  }

  return toPage(found, query.limit, bound);
}

/**
 * Builds the page. With more matches than `limit`, the cursor points after the last launch
 * shown. When the scan was cut short, it points after the last launch read. Otherwise the list
 * is complete and the cursor is null.
 */
function toPage(
  found: Array<{ status: LaunchStatus; position: Position }>,
  limit: number,
  lastScanned: Position | undefined,
): LaunchPage {
  const shown = found.slice(0, limit);
  const last = shown.at(-1)?.position;

  if (found.length > limit && last) {
    return { launches: shown.map((entry) => entry.status), next_cursor: encodeCursor(last) };
  }

  return {
    launches: shown.map((entry) => entry.status),
    next_cursor: lastScanned ? encodeCursor(lastScanned) : null,
  };
}

async function readPositions(
  redis: Redis,
  keys: RedisKeys,
  bound: Position | undefined,
  skip: number,
  count: number,
): Promise<{ positions: Position[]; fetched: number }> {
  const reply = await redis.zrange(
    keys.launchesByCreation,
    bound ? String(bound.score) : '+inf',
    '-inf',
    'BYSCORE',
    'REV',
    'LIMIT',
    skip,
    count,
    'WITHSCORES',
  );

  const positions: Position[] = [];
  for (let index = 0; index + 1 < reply.length; index += 2) {
    const position = { id: reply[index] ?? '', score: Number(reply[index + 1]) };
    if (!bound || position.score < bound.score || position.id < bound.id) {
      positions.push(position);
    }
  }

  return { positions, fetched: reply.length / 2 };
}

async function readStatuses(
  redis: Redis,
  keys: RedisKeys,
  positions: Position[],
  states: Set<string> | undefined,
): Promise<Array<LaunchStatus | undefined>> {
  const wanted = states ? await filterByState(redis, keys, positions, states) : positions;
  const pipeline = redis.pipeline();
  wanted.forEach(({ id }) => pipeline.hgetall(keys.launch(id)).lrange(keys.history(id), 0, -1));
  const replies = wanted.length > 0 ? ((await pipeline.exec()) ?? []) : [];

  const byId = new Map<string, LaunchStatus | undefined>();
  wanted.forEach(({ id }, index) => {
    const [hashError, hash] = replies[index * 2] ?? [];
    const [historyError, history] = replies[index * 2 + 1] ?? [];
    if (hashError || historyError) {
      throw hashError ?? historyError;
    }
    byId.set(id, recordToStatus(hash as Record<string, string>, history as string[]));
  });

  return positions.map(({ id }) => byId.get(id));
}

async function filterByState(
  redis: Redis,
  keys: RedisKeys,
  positions: Position[],
  states: Set<string>,
): Promise<Position[]> {
  const pipeline = redis.pipeline();
  positions.forEach(({ id }) => pipeline.hget(keys.launch(id), 'state'));
  const replies = (await pipeline.exec()) ?? [];

  return positions.filter((_, index) => {
    const state = replies[index]?.[1];
    return typeof state === 'string' && states.has(state);
  });
}

/** Encodes a position as an opaque, URL-safe cursor. */
export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.score}:${position.id}`, 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor; throws InvalidCursorError for anything else. */
export function decodeCursor(cursor: string): Position {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,16}):([0-9a-f-]{36})$/.exec(text);

  if (
    !match?.[1] ||
    !match[2] ||
    encodeCursor({ score: Number(match[1]), id: match[2] }) !== cursor
  ) {
    throw new InvalidCursorError();
  }

  return { score: Number(match[1]), id: match[2] };
}
