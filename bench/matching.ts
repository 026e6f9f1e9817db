/**
 * Times one offer cycle of the placement core: `placeLaunches` matching 10,000 pending launches
 * against 500 offers. Launches mix the four network modes, 0 to 3 host ports and a few fixed
 * host ports. Offers are shaped like default Mesos agents' (cpus, mem, disk, ports
 * [31000-32000]), and a fifth of them have fragmented port ranges.
 * Three scenarios: offers with room for a few tasks each (most launches stay pending), demand
 * larger than the offers (a backlog stays pending) and ample offers (every launch is placed).
 * Prints figures only. Run with `npx tsx bench/matching.ts`.
 */
import { performance } from 'node:perf_hooks';
import type { LaunchRequest, NetworkMode, PortRequest } from '../shared/launch/types.js';
import type { Offer, Resource } from '../shared/mesos/types.js';
import { placeLaunches, type PendingLaunch } from '../worker/placement/index.js';

const PENDING_COUNT = 10_000;
const OFFER_COUNT = 500;
const WARMUP_CYCLES = 5;
const MEASURED_CYCLES = 20;

/** Deterministic data, so that runs compare: a linear congruential generator. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function pickOne<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

function portRequests(random: () => number, network: NetworkMode): PortRequest[] {
  if (network === 'none') {
    return [];
  }

  const count = pickOne(random, [0, 1, 1, 2, 3]);
  return Array.from({ length: count }, (_, index) => {
    const fixed = random() < 0.01 ? 31000 + Math.floor(random() * 1001) : 0;
    if (network === 'host') {
      return { host_port: fixed, protocol: 'tcp' as const };
    }

    return { container_port: 8000 + index, host_port: fixed, protocol: 'tcp' as const };
  });
}

function buildPending(random: () => number): PendingLaunch[] {
  const networks: NetworkMode[] = [
    'host',
    'host',
    'bridge',
    'bridge',
    'bridge',
    'none',
    'user',
    'user',
  ];
  return Array.from({ length: PENDING_COUNT }, (_, index) => {
    const network = pickOne(random, networks);
    const request: LaunchRequest = {
      image: pickOne(random, ['nginx:1.27', 'registry.example.com/team/api:2.3', 'redis:7']),
      network,
      ...(network === 'user' ? { network_name: 'app-net' } : {}),
      ...(random() < 0.5 ? { command: 'exec ./serve --port "$PORT0"' } : {}),
      ports: portRequests(random, network),
      cpus: pickOne(random, [0.1, 0.1, 0.25, 0.5, 1, 2]),
      mem: pickOne(random, [50, 128, 256, 512, 1024]),
      disk: pickOne(random, [0, 0, 0, 100]),
      env: { ENVIRONMENT: 'bench' },
      labels: { owner: 'bench' },
      force_pull_image: false,
    };

    const launchId = `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
    return { launchId, attempt: 1, request, frameworkName: 'mesos-launch' };
  });
}

function scalar(name: string, value: number): Resource {
  return { name, type: 'SCALAR', scalar: { value }, role: '*' };
}

function portRanges(random: () => number): Array<{ begin: string; end: string }> {
  if (random() >= 0.2) {
    return [{ begin: '31000', end: '32000' }];
  }

  const ranges: Array<{ begin: string; end: string }> = [];
  for (let begin = 31000; begin <= 32000; begin += 20 + Math.floor(random() * 40)) {
    const end = Math.min(begin + Math.floor(random() * 10), 32000);
    ranges.push({ begin: String(begin), end: String(end) });
  }

  return ranges;
}

function buildOffers(random: () => number, scale: number): Offer[] {
  return Array.from({ length: OFFER_COUNT }, (_, index) => {
    const agentIndex = index % 400;
    return {
      id: { value: `offer-${index}` },
      framework_id: { value: 'framework-bench' },
      agent_id: { value: `agent-${agentIndex}` },
      hostname: `agent-${agentIndex}.example.com`,
      resources: [
        scalar('cpus', pickOne(random, [4, 8, 16]) * scale),
        scalar('mem', pickOne(random, [7168, 15360, 31744]) * scale),
        scalar('disk', 95000),
        { name: 'ports', type: 'RANGES', ranges: { range: portRanges(random) }, role: '*' },
      ],
      attributes: [{ name: 'rack', type: 'TEXT', text: { value: `r${agentIndex % 20}` } }],
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Prints wall-clock and process CPU time per cycle; CPU time includes GC helper threads. */
function measure(label: string, pending: PendingLaunch[], offers: Offer[]): void {
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  let placements = 0;
  let accepts = 0;
  for (let cycle = 0; cycle < WARMUP_CYCLES + MEASURED_CYCLES; cycle += 1) {
    const startedCpu = process.cpuUsage();
    const started = performance.now();
    const result = placeLaunches(pending, offers, { role: '*' });
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(startedCpu);
    if (cycle >= WARMUP_CYCLES) {
      wallMs.push(elapsedMs);
      cpuMs.push((cpu.user + cpu.system) / 1000);
    }

    placements = result.placements.length;
    accepts = result.accepts.length;
  }

  console.log(
    `${label}: ${pending.length} pending x ${offers.length} offers, ${MEASURED_CYCLES} cycles: ` +
      `wall median ${median(wallMs).toFixed(1)} ms, min ${Math.min(...wallMs).toFixed(1)} ms, ` +
      `max ${Math.max(...wallMs).toFixed(1)} ms; ` +
      `CPU median ${median(cpuMs).toFixed(1)} ms; ` +
      `${placements} placements, ${accepts} ACCEPTs per cycle`,
  );
}

const random = seededRandom(42);
const pending = buildPending(random);
console.log(`node ${process.version}, ${process.arch}`);
measure('nearly full offers', pending, buildOffers(random, 0.125));
measure('demand above capacity', pending, buildOffers(random, 1));
measure('ample capacity', pending, buildOffers(random, 4));
