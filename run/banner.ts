import type { Config } from '../shared/config.js';
import type { EmbeddedRedis } from '../shared/embedded-redis.js';
import type { Emulator } from '../emulator/index.js';

interface BannerParts {
  config: Config;
  functionUrl: string;
  worker: { healthUrl: string };
  redis: EmbeddedRedis | undefined;
  emulator: Emulator | undefined;
}

/** Prints where each part listens and a curl command that launches the bridge example. */
export function printBanner(parts: BannerParts): void {
  const { config, functionUrl, worker, redis, emulator } = parts;
  const master = emulator
    ? `${emulator.url} (emulated: 3 agents, ports [31000-32000], networks bridge and app-net)`
    : config.mesos.masters?.join(', ');
  const redisLine = redis ? `${redis.url} (private, data in ${redis.dataDir})` : config.redis.url;
  const example = JSON.stringify({
    image: 'ugistry.ucloud.cn/library/centos:6.6',
    network: 'bridge',
    ports: [{ container_port: 8888 }],
    command: 'ifconfig && sleep 3000',
  });

  const lines = [
    '',
    'mesos-launch is running',
    `  launch API     ${functionUrl}   (docs: ${functionUrl}/docs)`,
    `  worker health  ${worker.healthUrl}`,
    `  Mesos master   ${master}`,
    `  Redis          ${redisLine}`,
    '',
    'Launch a container on a bridge network with port 8888 mapped, then poll its status:',
    `  curl -si ${functionUrl}/v1/launches -H 'content-type: application/json' -d '${example}'`,
    `  curl -s ${functionUrl}/v1/launches/<id from the Location header>`,
    '',
    'Press Ctrl-C to stop everything this command started.',
    '',
  ];

  if (redis && !emulator) {
    lines.push(
      'WARNING: MESOS_MASTER is set but REDIS_URL is not. The private Redis is deleted on stop, so',
      'the next start subscribes as a new framework and cannot see or kill the tasks started now.',
      'Set REDIS_URL to a Redis that outlives this process.',
      '',
    );
  }

  process.stdout.write(lines.join('\n'));
}
