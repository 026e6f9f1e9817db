import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Child, ChildSet } from './children.js';

/**
 * Starts `redis-cli monitor` on the socket, writing every command Redis runs to
 * `<logDir>/redis-monitor.log`. MONITOR slows Redis down, so runs with it measure round trips,
 * not speed.
 */
export function startRedisMonitor(children: ChildSet, socketPath: string, logDir: string): Child {
  return children.start({
    name: 'redis-monitor',
    command: 'redis-cli',
    args: ['-s', socketPath, 'monitor'],
    env: process.env,
    logDir,
  });
}

const MAX_WORD_LENGTH = 60;

/**
 * Counts the commands that clients sent (not those that Lua scripts ran), grouped by command
 * and its first three arguments, with ids and numbers replaced and script hashes shortened,
 * e.g. `evalsha sha:1a2b3c4d N ml:launch:<id>`.
 */
export async function summarizeRedisMonitor(logDir: string): Promise<Map<string, number>> {
  const text = await readFile(join(logDir, 'redis-monitor.log'), 'utf8');
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
    if (match === null || match[1] === 'lua') {
      continue;
    }

    // EVAL carries a whole script; its first line is enough to tell which one.
    const words = (match[2] ?? '')
      .split('" "')
      .slice(0, 4)
      .map((word) => normalizeWord(word).slice(0, MAX_WORD_LENGTH));
    const key = words.join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  return counts;
}

function normalizeWord(quoted: string): string {
  const word = quoted.replace(/^"|"$/g, '').toLowerCase();
  if (/^[0-9a-f]{40}$/.test(word)) {
    return `sha:${word.slice(0, 8)}`;
  }

  return word
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\d+/g, 'N');
}
