import { describe, expect, it } from 'vitest';
import {
  historyEntryToJson,
  nullRecordFields,
  parseHistoryEntry,
  recordInternals,
  recordToStatus,
  statusFieldsToHash,
} from '../../shared/launch/record.js';
import type { LaunchRequest } from '../../shared/launch/types.js';

const REQUEST: LaunchRequest = {
  image: 'nginx',
  network: 'user',
  network_name: 'app-net',
  ports: [{ container_port: 80, protocol: 'tcp' }],
  cpus: 0.5,
  mem: 64,
  disk: 0,
  env: {},
  labels: {},
  force_pull_image: false,
};

const HISTORY = [
  historyEntryToJson({
    state: 'QUEUED',
    timestamp: '2026-01-01T00:00:00.000Z',
    source: null,
    reason: null,
    message: null,
    task_id: null,
  }),
];

describe('launch record', () => {
  it('encodes fields as HASH strings', () => {
    const hash = statusFieldsToHash({
      id: 'a',
      state: 'TASK_RUNNING',
      attempt: 2,
      ports: [{ container_port: 80, host_port: 31000, protocol: 'tcp' }],
      ip_addresses: ['172.17.0.2'],
      request: REQUEST,
      kill_requested: true,
      ever_running: false,
      reason: null,
    });

    expect(hash).toEqual({
      id: 'a',
      state: 'TASK_RUNNING',
      terminal: '0',
      attempt: '2',
      ports: '[{"container_port":80,"host_port":31000,"protocol":"tcp"}]',
      ip_addresses: '["172.17.0.2"]',
      request: JSON.stringify(REQUEST),
      kill_requested: '1',
      ever_running: '0',
    });
  });

  it('derives terminal from the state', () => {
    expect(statusFieldsToHash({ state: 'TASK_FAILED' }).terminal).toBe('1');
    expect(statusFieldsToHash({ state: 'CANCELLED' }).terminal).toBe('1');
    expect(statusFieldsToHash({ state: 'LAUNCHING' }).terminal).toBe('0');
    expect(statusFieldsToHash({ state: 'TASK_FAILED', terminal: false }).terminal).toBe('0');
  });

  it('lists null fields for HDEL', () => {
    expect(nullRecordFields({ reason: null, message: null, source: 'SOURCE_AGENT' })).toEqual([
      'reason',
      'message',
    ]);
  });

  it('round-trips to a status', () => {
    const hash = statusFieldsToHash({
      id: 'a',
      state: 'TASK_RUNNING',
      task_id: 'ml-a-a1',
      agent_id: 'agent-1',
      hostname: 'host-1',
      network: 'user',
      network_name: 'app-net',
      ip_addresses: ['10.1.0.5'],
      ports: [{ container_port: 80, host_port: 31000, protocol: 'tcp' }],
      source: 'SOURCE_EXECUTOR',
      attempt: 1,
      request: REQUEST,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:05.000Z',
    });

    expect(recordToStatus(hash, HISTORY)).toEqual({
      id: 'a',
      state: 'TASK_RUNNING',
      terminal: false,
      task_id: 'ml-a-a1',
      agent_id: 'agent-1',
      hostname: 'host-1',
      network: 'user',
      network_name: 'app-net',
      ip_addresses: ['10.1.0.5'],
      ports: [{ container_port: 80, host_port: 31000, protocol: 'tcp' }],
      reason: null,
      message: null,
      source: 'SOURCE_EXECUTOR',
      attempt: 1,
      history: [
        {
          state: 'QUEUED',
          timestamp: '2026-01-01T00:00:00.000Z',
          source: null,
          reason: null,
          message: null,
          task_id: null,
        },
      ],
      request: REQUEST,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:05.000Z',
    });
  });

  it('returns undefined for an empty HASH', () => {
    expect(recordToStatus({}, [])).toBeUndefined();
  });

  it('returns undefined without a request', () => {
    expect(recordToStatus({ id: 'a', state: 'QUEUED', created_at: 'x' }, [])).toBeUndefined();
  });

  it('tolerates damaged JSON fields', () => {
    const status = recordToStatus(
      {
        id: 'a',
        state: 'QUEUED',
        created_at: '2026-01-01T00:00:00.000Z',
        request: JSON.stringify(REQUEST),
        ports: '{oops',
        ip_addresses: '',
      },
      ['not json', '{"state":"QUEUED"}', ...HISTORY],
    );

    expect(status?.ports).toEqual([]);
    expect(status?.ip_addresses).toEqual([]);
    expect(status?.history).toHaveLength(1);
    expect(status?.network).toBe('user');
    expect(status?.network_name).toBe('app-net');
    expect(status?.updated_at).toBe('2026-01-01T00:00:00.000Z');
  });

  it('reads the internal fields', () => {
    expect(recordInternals({ kill_requested: '1', ever_running: '0', job_id: 'j' })).toEqual({
      killRequested: true,
      everRunning: false,
      jobId: 'j',
    });
    expect(recordInternals({})).toEqual({ killRequested: false, everRunning: false, jobId: null });
  });

  it('fills missing history members with null', () => {
    expect(parseHistoryEntry('{"state":"TASK_RUNNING","timestamp":"t"}')).toEqual({
      state: 'TASK_RUNNING',
      timestamp: 't',
      source: null,
      reason: null,
      message: null,
      task_id: null,
    });
  });
});
