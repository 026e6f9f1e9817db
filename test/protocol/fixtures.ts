import type { Call, Event, TaskInfo } from '../../shared/mesos/index.js';

/** Above 2^53, so a double would round it. */
export const BIG_UINT64 = '18446744073709551615';
export const BIG_INT64 = '9007199254740993';
export const UUID_BYTES = Buffer.from('8f14e45fceea167a5a36dedd4bea2543', 'hex');
/** Every byte value, so base64 and protobuf framing are exercised on all of them. */
export const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, index) => index));

const FRAMEWORK_ID = { value: '7b2e5d5e-2c1a-4a1e-9c1b-3d8c5e6f7a8b-0000' };
const AGENT_ID = { value: '7b2e5d5e-2c1a-4a1e-9c1b-3d8c5e6f7a8b-S0' };

/**
 * A Docker task as the worker builds it. Fields with a declared default are set explicitly, so
 * the JSON round trip (which writes declared defaults, as Mesos does) returns the same object.
 */
export const DOCKER_TASK: TaskInfo = {
  name: 'web',
  task_id: { value: 'launch-0b9f2c7e' },
  agent_id: AGENT_ID,
  resources: [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 50 } },
    {
      name: 'ports',
      type: 'RANGES',
      ranges: { range: [{ begin: '31000', end: '31000' }] },
      role: '*',
    },
  ],
  command: {
    shell: true,
    value: 'python -m http.server 8888',
    environment: { variables: [{ name: 'PORT0', value: '31000', type: 'VALUE' }] },
    uris: [{ value: 'https://example.com/app.tgz', extract: true, cache: false }],
  },
  container: {
    type: 'DOCKER',
    docker: {
      image: 'python:3.12-slim',
      network: 'USER',
      port_mappings: [{ host_port: 31000, container_port: 8888, protocol: 'tcp' }],
      privileged: false,
      parameters: [{ key: 'label', value: 'team=infra' }],
      force_pull_image: true,
    },
    network_infos: [
      {
        name: 'app-net',
        ip_addresses: [{ protocol: 'IPv4' }],
        labels: { labels: [{ key: 'zone', value: 'a' }] },
      },
    ],
    hostname: 'web-1',
  },
  labels: { labels: [{ key: 'launch_id', value: '0b9f2c7e' }] },
  kill_policy: { grace_period: { nanoseconds: BIG_INT64 } },
  max_completion_time: { nanoseconds: '3600000000000' },
  data: ALL_BYTES,
};

/** Every call the product sends. */
export const CALLS: Record<string, Call> = {
  SUBSCRIBE: {
    type: 'SUBSCRIBE',
    framework_id: FRAMEWORK_ID,
    subscribe: {
      framework_info: {
        user: 'root',
        name: 'mesos-launch',
        id: FRAMEWORK_ID,
        failover_timeout: 604800,
        checkpoint: true,
        principal: 'launcher',
        capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }],
        roles: ['*'],
        labels: { labels: [{ key: 'owner', value: 'infra' }] },
      },
      suppressed_roles: ['batch'],
    },
  },
  TEARDOWN: { type: 'TEARDOWN', framework_id: FRAMEWORK_ID },
  ACCEPT: {
    type: 'ACCEPT',
    framework_id: FRAMEWORK_ID,
    accept: {
      offer_ids: [{ value: 'master-1-O7' }, { value: 'master-1-O8' }],
      operations: [{ type: 'LAUNCH', launch: { task_infos: [DOCKER_TASK] } }],
      filters: { refuse_seconds: 2.5 },
    },
  },
  DECLINE: {
    type: 'DECLINE',
    framework_id: FRAMEWORK_ID,
    decline: { offer_ids: [{ value: 'master-1-O9' }], filters: { refuse_seconds: 30 } },
  },
  REVIVE: { type: 'REVIVE', framework_id: FRAMEWORK_ID, revive: { roles: ['*'] } },
  SUPPRESS: { type: 'SUPPRESS', framework_id: FRAMEWORK_ID, suppress: { roles: ['*'] } },
  KILL: {
    type: 'KILL',
    framework_id: FRAMEWORK_ID,
    kill: {
      task_id: { value: 'launch-0b9f2c7e' },
      agent_id: AGENT_ID,
      kill_policy: { grace_period: { nanoseconds: '5000000000' } },
    },
  },
  ACKNOWLEDGE: {
    type: 'ACKNOWLEDGE',
    framework_id: FRAMEWORK_ID,
    acknowledge: { agent_id: AGENT_ID, task_id: { value: 'launch-0b9f2c7e' }, uuid: UUID_BYTES },
  },
  RECONCILE: {
    type: 'RECONCILE',
    framework_id: FRAMEWORK_ID,
    reconcile: {
      tasks: [
        { task_id: { value: 'launch-0b9f2c7e' }, agent_id: AGENT_ID },
        { task_id: { value: 'x' } },
      ],
    },
  },
};

/** Every event the product receives. */
export const EVENTS: Record<string, Event> = {
  SUBSCRIBED: {
    type: 'SUBSCRIBED',
    subscribed: {
      framework_id: FRAMEWORK_ID,
      heartbeat_interval_seconds: 15,
      master_info: {
        id: '7b2e5d5e-2c1a-4a1e-9c1b-3d8c5e6f7a8b',
        ip: 16777343,
        port: 5050,
        pid: 'master@127.0.0.1:5050',
        hostname: 'm1',
        version: '1.11.0',
        address: { hostname: 'm1', ip: '127.0.0.1', port: 5050 },
        capabilities: [{ type: 'AGENT_UPDATE' }],
      },
    },
  },
  OFFERS: {
    type: 'OFFERS',
    offers: {
      offers: [
        {
          id: { value: 'master-1-O7' },
          framework_id: FRAMEWORK_ID,
          agent_id: AGENT_ID,
          hostname: 'agent-1.example.com',
          url: {
            scheme: 'http',
            address: { hostname: 'agent-1.example.com', ip: '10.0.0.11', port: 5051 },
            path: '/slave(1)',
          },
          resources: [
            { name: 'cpus', type: 'SCALAR', scalar: { value: 7.5 }, role: '*' },
            {
              name: 'ports',
              type: 'RANGES',
              ranges: {
                range: [
                  { begin: '31000', end: '32000' },
                  { begin: BIG_INT64, end: BIG_UINT64 },
                ],
              },
              role: '*',
            },
            {
              name: 'disk',
              type: 'SCALAR',
              scalar: { value: 1024 },
              reservations: [{ type: 'DYNAMIC', role: 'infra', principal: 'ops' }],
              allocation_info: { role: 'infra' },
            },
          ],
          attributes: [
            { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
            { name: 'zones', type: 'SET', set: { item: ['a', 'b'] } },
          ],
          executor_ids: [{ value: 'exec-1' }],
          unavailability: {
            start: { nanoseconds: '1700000000000000000' },
            duration: { nanoseconds: BIG_INT64 },
          },
          allocation_info: { role: 'infra' },
        },
      ],
    },
  },
  RESCIND: { type: 'RESCIND', rescind: { offer_id: { value: 'master-1-O7' } } },
  UPDATE: {
    type: 'UPDATE',
    update: {
      status: {
        task_id: { value: 'launch-0b9f2c7e' },
        state: 'TASK_RUNNING',
        source: 'SOURCE_EXECUTOR',
        reason: 'REASON_AGENT_REREGISTERED',
        message: 'héllo wörld ✓',
        agent_id: AGENT_ID,
        executor_id: { value: 'launch-0b9f2c7e' },
        timestamp: 1700000000.123456,
        uuid: UUID_BYTES,
        data: ALL_BYTES,
        healthy: true,
        container_status: {
          container_id: { value: 'c1', parent: { value: 'c0' } },
          executor_pid: 4242,
          network_infos: [
            {
              name: 'app-net',
              ip_addresses: [
                { protocol: 'IPv4', ip_address: '172.18.0.2' },
                { protocol: 'IPv6', ip_address: 'fd00::2' },
              ],
            },
          ],
        },
        unreachable_time: { nanoseconds: BIG_INT64 },
        labels: { labels: [{ key: 'k', value: 'v' }] },
      },
    },
  },
  MESSAGE: {
    type: 'MESSAGE',
    message: { agent_id: AGENT_ID, executor_id: { value: 'exec-1' }, data: ALL_BYTES },
  },
  FAILURE: {
    type: 'FAILURE',
    failure: { agent_id: AGENT_ID, executor_id: { value: 'e' }, status: -9 },
  },
  ERROR: { type: 'ERROR', error: { message: 'Framework failed over' } },
  HEARTBEAT: { type: 'HEARTBEAT' },
};
