import type {
  ContainerInfo,
  Event,
  Filters,
  Offer,
  Resource,
  TaskInfo,
} from '../../../shared/mesos/index.js';
import type { HttpReply, TestScheduler } from './scheduler-driver.js';

export function scalar(name: string, value: number): Resource {
  return { name, type: 'SCALAR', scalar: { value } };
}

export function ports(...ranges: Array<[number, number]>): Resource {
  return {
    name: 'ports',
    type: 'RANGES',
    ranges: { range: ranges.map(([begin, end]) => ({ begin: String(begin), end: String(end) })) },
  };
}

/** Builds a small Docker task for `offer`: cpus 0.1, mem 32, `sleep 1000`, HOST network. */
export function dockerTask(
  offer: Offer,
  taskId: string,
  overrides: Partial<TaskInfo> & { container?: ContainerInfo } = {},
): TaskInfo {
  return {
    name: taskId,
    task_id: { value: taskId },
    agent_id: offer.agent_id,
    resources: [scalar('cpus', 0.1), scalar('mem', 32)],
    command: { value: 'sleep 1000' },
    container: { type: 'DOCKER', docker: { image: 'busybox', network: 'HOST' } },
    ...overrides,
  };
}

/** Sends ACCEPT with one LAUNCH of `tasks` on the given offers. */
export async function launch(
  scheduler: TestScheduler,
  offers: Offer[],
  tasks: TaskInfo[],
  filters?: Filters,
): Promise<HttpReply> {
  return scheduler.call({
    type: 'ACCEPT',
    accept: {
      offer_ids: offers.map((offer) => offer.id),
      operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }],
      ...(filters !== undefined ? { filters } : {}),
    },
  });
}

/** Waits for the next OFFERS event and returns its offers. */
export async function nextOffers(scheduler: TestScheduler): Promise<Offer[]> {
  const event: Event = await scheduler.next('OFFERS');
  return event.offers?.offers ?? [];
}

/** Launches one task on the first offer and acknowledges it until TASK_RUNNING. */
export async function launchRunning(
  scheduler: TestScheduler,
  offer: Offer,
  task: TaskInfo,
): Promise<void> {
  await launch(scheduler, [offer], [task]);
  const starting = await scheduler.nextUpdate(task.task_id.value, 'TASK_STARTING');
  await scheduler.acknowledge(starting);
  const running = await scheduler.nextUpdate(task.task_id.value, 'TASK_RUNNING');
  await scheduler.acknowledge(running);
}
