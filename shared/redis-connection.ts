import type { RedisOptions } from 'ioredis';

/**
 * Converts a Redis address into ioredis options. Accepts `redis://` and `rediss://` URLs,
 * `unix:///path/to/redis.sock` (also written `redis+unix://`), and a bare socket path.
 */
export function redisOptionsFromUrl(url: string): RedisOptions {
  if (url.startsWith('/')) {
    return { path: url };
  }

  const parsed = new URL(url);

  if (parsed.protocol === 'unix:' || parsed.protocol === 'redis+unix:') {
    return withCredentials({ path: decodeURIComponent(parsed.pathname) }, parsed);
  }

  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(
      `invalid Redis URL "${url}": use redis://host:port, rediss://host:port or unix:///path/to/socket`,
    );
  }

  const options: RedisOptions = {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
  };

  const database = parsed.pathname.replace(/^\//, '');
  if (database && !/^\d+$/.test(database)) {
    throw new Error(`invalid Redis URL "${url}": the path must be a database number, e.g. /0`);
  }

  if (database) {
    options.db = Number(database);
  }

  if (parsed.protocol === 'rediss:') {
    options.tls = {};
  }

  return withCredentials(options, parsed);
}

function withCredentials(options: RedisOptions, parsed: URL): RedisOptions {
  if (parsed.username) {
    options.username = decodeURIComponent(parsed.username);
  }

  if (parsed.password) {
    options.password = decodeURIComponent(parsed.password);
  }

  return options;
}
