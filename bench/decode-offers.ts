/**
 * Decode speed of a large OFFERS event, the biggest message a scheduler receives: 1,000 offers
 * from 1,000 agents, each with cpus, mem, disk, two port ranges and three attributes. Prints
 * events/s and MB/s for protobuf and for JSON. Run with `npx tsx bench/decode-offers.ts`.
 * The figures depend on the machine; compare runs on the same one.
 */
import { performance } from 'node:perf_hooks';
import {
  decodeEvent,
  encodeEvent,
  type Event,
  type MesosContentType,
  type Offer,
} from '../shared/mesos/index.js';

const OFFER_COUNT = 1000;
const MIN_DURATION_MS = 2000;
const WARMUP_ROUNDS = 5;

function buildOffer(index: number): Offer {
  const masterId = '5c9a0e1e-8f3b-4f5e-9a4d-2b7c1e0d3f6a';
  return {
    id: { value: `${masterId}-O${100000 + index}` },
    framework_id: { value: `${masterId}-0000` },
    agent_id: { value: `${masterId}-S${index}` },
    hostname: `agent-${index}.dc1.example.com`,
    url: {
      scheme: 'http',
      address: {
        hostname: `agent-${index}.dc1.example.com`,
        ip: `10.1.${index >> 8}.${index & 255}`,
        port: 5051,
      },
      path: '/slave(1)',
    },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 31.5 }, role: '*' },
      { name: 'mem', type: 'SCALAR', scalar: { value: 126976 }, role: '*' },
      { name: 'disk', type: 'SCALAR', scalar: { value: 917504 }, role: '*' },
      {
        name: 'ports',
        type: 'RANGES',
        ranges: {
          range: [
            { begin: '31000', end: '31999' },
            { begin: '32100', end: '32767' },
          ],
        },
        role: '*',
      },
    ],
    attributes: [
      { name: 'rack', type: 'TEXT', text: { value: `r${index % 40}` } },
      { name: 'zone', type: 'TEXT', text: { value: `zone-${index % 3}` } },
      { name: 'cores', type: 'SCALAR', scalar: { value: 32 } },
    ],
  };
}

function measure(
  body: Uint8Array,
  contentType: MesosContentType,
): { eventsPerSecond: number; megabytesPerSecond: number } {
  for (let round = 0; round < WARMUP_ROUNDS; round += 1) {
    decodeEvent(body, contentType);
  }

  let rounds = 0;
  const started = performance.now();
  let elapsedMs = 0;
  while (elapsedMs < MIN_DURATION_MS) {
    decodeEvent(body, contentType);
    rounds += 1;
    elapsedMs = performance.now() - started;
  }

  const seconds = elapsedMs / 1000;
  return {
    eventsPerSecond: rounds / seconds,
    megabytesPerSecond: (rounds * body.byteLength) / seconds / 1e6,
  };
}

function main(): void {
  const event: Event = {
    type: 'OFFERS',
    offers: { offers: Array.from({ length: OFFER_COUNT }, (_, index) => buildOffer(index)) },
  };

  console.log(
    `OFFERS event with ${OFFER_COUNT} offers, decoded for at least ${MIN_DURATION_MS} ms per encoding`,
  );
  for (const contentType of ['application/x-protobuf', 'application/json'] as const) {
    const body = encodeEvent(event, contentType);
    const decoded = decodeEvent(body, contentType);
    if (decoded.offers?.offers?.length !== OFFER_COUNT) {
      throw new Error(`decoded ${decoded.offers?.offers?.length} offers instead of ${OFFER_COUNT}`);
    }

    const { eventsPerSecond, megabytesPerSecond } = measure(body, contentType);
    const sizeKb = (body.byteLength / 1024).toFixed(0);
    console.log(
      `${contentType.padEnd(24)} ${sizeKb.padStart(6)} KB/event  ${eventsPerSecond.toFixed(1).padStart(8)} events/s  ${megabytesPerSecond.toFixed(1).padStart(7)} MB/s`,
    );
  }
}

main();
