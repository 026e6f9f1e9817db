import type { LaunchRequest } from '../../shared/launch/types.js';
import type { Offer, Resource } from '../../shared/mesos/types.js';
import type { PendingLaunch } from '../../worker/placement/index.js';

export const LAUNCH_ID = '0b6a4f2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b';

/** Builds a request with the API's defaults applied: 0.1 cpus, 50 MB, host networking, no ports. */
export function request(overrides: Partial<LaunchRequest> = {}): LaunchRequest {
  return {
    image: 'registry.example.com/library/centos:6.6',
    network: 'host',
    ports: [],
    cpus: 0.1,
    mem: 50,
    disk: 0,
    env: {},
    labels: {},
    force_pull_image: false,
    ...overrides,
  };
}

let launchCounter = 0;

/** Builds a pending first attempt with a fresh launch id. */
export function pending(overrides: Partial<LaunchRequest> = {}): PendingLaunch {
  launchCounter += 1;
  const suffix = launchCounter.toString(16).padStart(12, '0');
  return { launchId: `0b6a4f2e-1c3d-4e5f-8a9b-${suffix}`, attempt: 1, request: request(overrides) };
}

export function scalar(name: string, value: number, extra: Partial<Resource> = {}): Resource {
  return { name, type: 'SCALAR', scalar: { value }, role: '*', ...extra };
}

export function ports(
  ranges: ReadonlyArray<readonly [number, number]>,
  extra: Partial<Resource> = {},
): Resource {
  return {
    name: 'ports',
    type: 'RANGES',
    ranges: { range: ranges.map(([begin, end]) => ({ begin: String(begin), end: String(end) })) },
    role: '*',
    ...extra,
  };
}

interface OfferSpec {
  id?: string;
  agentId?: string;
  cpus?: number;
  mem?: number;
  disk?: number;
  portRanges?: ReadonlyArray<readonly [number, number]>;
  resources?: Resource[];
}

/** Builds an offer like a default agent's: 4 cpus, 4096 MB, 10000 MB disk, ports [31000-32000]. */
export function offer(spec: OfferSpec = {}): Offer {
  const resources = spec.resources ?? [
    scalar('cpus', spec.cpus ?? 4),
    scalar('mem', spec.mem ?? 4096),
    scalar('disk', spec.disk ?? 10000),
    ports(spec.portRanges ?? [[31000, 32000]]),
  ];

  return {
    id: { value: spec.id ?? 'offer-1' },
    framework_id: { value: 'framework-1' },
    agent_id: { value: spec.agentId ?? 'agent-1' },
    hostname: `${spec.agentId ?? 'agent-1'}.example.com`,
    resources,
    attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }],
  };
}

/** Returns a random source that always yields `value`. */
export function fixedRandom(value: number): () => number {
  return () => value;
}

/** Lists the ports of a task's `ports` resources. */
export function taskPorts(resources: readonly Resource[] | undefined): number[] {
  const result: number[] = [];
  for (const resource of resources ?? []) {
    if (resource.name !== 'ports') {
      continue;
    }

    for (const range of resource.ranges?.range ?? []) {
      for (let port = Number(range.begin); port <= Number(range.end); port += 1) {
        result.push(port);
      }
    }
  }

  return result;
}
