import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Reads the live values the gauges report at scrape time. */
export interface WorkerGaugeSource {
  leaseHeld(): boolean;
  subscribed(): boolean;
  secondsSinceHeartbeat(): number | undefined;
  pendingLaunches(): number;
  waitingLaunches(): number;
  heldOffers(): number;
}

/** The worker's Prometheus metrics, in a registry of its own so several workers can share a process. */
export class WorkerMetrics {
  readonly registry = new Registry();

  readonly statusUpdates = new Counter({
    name: 'mesos_launch_worker_status_updates_total',
    help: 'Task status updates received, by task state and what recording them decided.',
    labelNames: ['state', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly acknowledgements = new Counter({
    name: 'mesos_launch_worker_acknowledgements_total',
    help: 'ACKNOWLEDGE calls sent, by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly offers = new Counter({
    name: 'mesos_launch_worker_offers_total',
    help: 'Offers received, by what became of them (accepted or declined).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly tasksLaunched = new Counter({
    name: 'mesos_launch_worker_tasks_launched_total',
    help: 'Tasks sent to Mesos in LAUNCH operations.',
    registers: [this.registry],
  });

  readonly launchesEnded = new Counter({
    name: 'mesos_launch_worker_launch_jobs_total',
    help: 'Launch jobs this worker finished, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly retries = new Counter({
    name: 'mesos_launch_worker_retries_total',
    help: 'Launches sent back to QUEUED after a task ended before it ever ran.',
    registers: [this.registry],
  });

  readonly offerCycleSeconds = new Histogram({
    name: 'mesos_launch_worker_offer_cycle_seconds',
    help: 'Time from an OFFERS event to its ACCEPT and DECLINE calls being sent.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly queueWaitSeconds = new Histogram({
    name: 'mesos_launch_worker_queue_wait_seconds',
    help: 'Time from a launch being created to its job reaching this worker, on first delivery.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(source: WorkerGaugeSource) {
    // Process CPU, memory and event-loop delay; the delay shows how late every Redis reply,
    // status update and offer is handled.
    collectDefaultMetrics({ register: this.registry, prefix: 'mesos_launch_worker_' });

    this.#gauge(
      'mesos_launch_worker_lease_held',
      'Whether this worker holds the lease (1) or stands by (0).',
      () => Number(source.leaseHeld()),
    );
    this.#gauge(
      'mesos_launch_worker_subscribed',
      'Whether the Mesos subscription is up (1) or not (0).',
      () => Number(source.subscribed()),
    );
    this.#gauge(
      'mesos_launch_worker_seconds_since_heartbeat',
      'Seconds since the last event or heartbeat from the master; -1 before the first.',
      () => source.secondsSinceHeartbeat() ?? -1,
    );
    this.#gauge('mesos_launch_worker_pending_launches', 'Launch jobs this worker holds.', () =>
      source.pendingLaunches(),
    );
    this.#gauge('mesos_launch_worker_waiting_launches', 'Held launches waiting for an offer.', () =>
      source.waitingLaunches(),
    );
    this.#gauge(
      'mesos_launch_worker_held_offers',
      'Unused offers kept for launches that arrive later, before they are declined.',
      () => source.heldOffers(),
    );
  }

  #gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }
}
