import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  MesosDecodeError,
  MesosEncodeError,
  decodeCall,
  decodeEvent,
  decodeMessage,
  encodeCall,
  encodeEvent,
  encodeMessage,
  type Call,
  type Event,
  type MesosContentType,
  type TaskInfo,
} from '../../shared/mesos/index.js';
import { BIG_INT64, BIG_UINT64, CALLS, DOCKER_TASK, EVENTS, UUID_BYTES } from './fixtures.js';

const CONTENT_TYPES: MesosContentType[] = ['application/x-protobuf', 'application/json'];
const JSON_TYPE: MesosContentType = 'application/json';
const PROTOBUF_TYPE: MesosContentType = 'application/x-protobuf';

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

function encodeError(action: () => unknown): MesosEncodeError {
  try {
    action();
  } catch (error) {
    return error as MesosEncodeError;
  }
  throw new Error('expected an encode error');
}

describe.each(CONTENT_TYPES)('round trip (%s)', (contentType) => {
  it.each(Object.keys(CALLS))('call %s', (name) => {
    const call = CALLS[name] as Call;
    expect(decodeCall(encodeCall(call, contentType), contentType)).toEqual(call);
  });

  it.each(Object.keys(EVENTS))('event %s', (name) => {
    const event = EVENTS[name] as Event;
    expect(decodeEvent(encodeEvent(event, contentType), contentType)).toEqual(event);
  });

  it('TaskInfo by type name', () => {
    const body = encodeMessage('mesos.v1.TaskInfo', DOCKER_TASK, contentType);
    expect(decodeMessage<TaskInfo>('mesos.v1.TaskInfo', body, contentType)).toEqual(DOCKER_TASK);
  });

  it('bytes stay exact', () => {
    const decoded = decodeCall(encodeCall(CALLS.ACKNOWLEDGE as Call, contentType), contentType);
    expect(Buffer.from(decoded.acknowledge?.uuid ?? []).equals(UUID_BYTES)).toBe(true);
  });
});

describe('JSON mapping', () => {
  it('writes 64-bit values as bare digits', () => {
    const json = text(encodeEvent(EVENTS.OFFERS as Event, JSON_TYPE));
    expect(json).toContain(`"end":${BIG_UINT64}`);
    expect(json).toContain(`"begin":${BIG_INT64}`);
  });

  it('writes enums as names and bytes as base64', () => {
    const json = JSON.parse(text(encodeCall(CALLS.ACKNOWLEDGE as Call, JSON_TYPE)));
    expect(json.type).toBe('ACKNOWLEDGE');
    expect(json.acknowledge.uuid).toBe(UUID_BYTES.toString('base64'));
  });

  it('writes declared defaults like Mesos', () => {
    const event: Event = {
      type: 'UPDATE',
      update: {
        status: {
          task_id: { value: 't' },
          state: 'TASK_RUNNING',
          container_status: { network_infos: [{ ip_addresses: [{ ip_address: '10.0.0.2' }] }] },
        },
      },
    };
    const json = JSON.parse(text(encodeEvent(event, JSON_TYPE)));
    expect(json.update.status.container_status.network_infos[0].ip_addresses[0]).toEqual({
      protocol: 'IPv4',
      ip_address: '10.0.0.2',
    });
  });

  it('omits deprecated defaults', () => {
    const body = encodeMessage(
      'mesos.v1.Resource',
      { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
      JSON_TYPE,
    );
    expect(JSON.parse(text(body))).toEqual({ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } });
  });

  it('reads Mesos output losslessly', () => {
    const body = Buffer.from(
      '{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_LOST",' +
        '"unreachable_time":{"nanoseconds":1700000000123456789},"timestamp":1.7e9,' +
        '"uuid":"jxTkX87qFnpaNt7dS+olQw","unknown_key":[1,2],"healthy":"true","source":null}}}',
    );
    const event = decodeEvent(body, JSON_TYPE);
    expect(event.update?.status.unreachable_time?.nanoseconds).toBe('1700000000123456789');
    expect(event.update?.status.timestamp).toBe(1.7e9);
    expect(Buffer.from(event.update?.status.uuid ?? []).equals(UUID_BYTES)).toBe(true);
    expect(event.update?.status.healthy).toBe(true);
    expect(event.update?.status).not.toHaveProperty('source');
    expect(event.update?.status).not.toHaveProperty('unknown_key');
  });

  it('reads a single value for a repeated field', () => {
    const body = Buffer.from(
      '{"type":"REVIVE","framework_id":{"value":"f"},"revive":{"roles":"web"}}',
    );
    expect(decodeCall(body, JSON_TYPE).revive).toEqual({ roles: ['web'] });
  });

  it('rejects an array for a singular field', () => {
    const body = Buffer.from('{"type":["REVIVE"]}');
    expect(() => decodeCall(body, JSON_TYPE)).toThrow(/Not expecting a JSON array/);
  });

  it('rejects malformed JSON', () => {
    expect(() => decodeCall(Buffer.from('{"type":'), JSON_TYPE)).toThrow(MesosDecodeError);
  });
});

describe('call decoding like the master', () => {
  it('drops an unknown optional enum name', () => {
    const body = JSON.parse(text(encodeCall(CALLS.ACCEPT as Call, JSON_TYPE)));
    body.accept.operations[0].launch.task_infos[0].container.docker.network = 'BRIGDE';
    const call = decodeCall(Buffer.from(JSON.stringify(body)), JSON_TYPE);
    const docker = call.accept?.operations?.[0]?.launch?.task_infos?.[0]?.container?.docker;
    expect(docker).toBeDefined();
    expect(docker).not.toHaveProperty('network');
  });

  it('rejects an unknown required enum name', () => {
    const body = Buffer.from(
      '{"type":"ACCEPT","accept":{"operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"n","task_id":{"value":"t"},"agent_id":{"value":"a"},"container":{"type":"DOCKR"}}]}}]}}',
    );
    expect(() => decodeCall(body, JSON_TYPE)).toThrow(/container\.type/);
  });

  it('rejects a number for an enum', () => {
    expect(() => decodeCall(Buffer.from('{"type":3}'), JSON_TYPE)).toThrow(
      /Not expecting a JSON number/,
    );
  });

  it('reports missing required fields', () => {
    const body = Buffer.from('{"type":"KILL","kill":{"agent_id":{}}}');
    const error = (() => {
      try {
        decodeCall(body, JSON_TYPE);
      } catch (caught) {
        return caught as MesosDecodeError;
      }
      throw new Error('expected a decode error');
    })();
    expect(error.code).toBe('MESOS_DECODE_INVALID');
    expect(error.message).toMatch(/Missing required fields: kill\.agent_id\.value/);
  });

  it('drops an unknown optional enum number', () => {
    const body = Buffer.from(
      encodeMessage(
        'mesos.v1.ContainerInfo.DockerInfo',
        { image: 'img', network: 'BRIDGE' },
        PROTOBUF_TYPE,
      ),
    );
    const network = body.indexOf(Buffer.from([0x10, 0x02]));
    body[network + 1] = 9;
    const call = decodeCall(wrapDockerInfo(body), PROTOBUF_TYPE);
    const docker = call.accept?.operations?.[0]?.launch?.task_infos?.[0]?.container?.docker;
    expect(docker).toEqual({ image: 'img' });
  });

  it('rejects an unknown required enum number', () => {
    const resource = Buffer.from(
      encodeMessage(
        'mesos.v1.Resource',
        { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
        PROTOBUF_TYPE,
      ),
    );
    const type = resource.indexOf(Buffer.from([0x10, 0x00]));
    resource[type + 1] = 9;
    const writer = protobuf.Writer.create();
    writer.uint32(16).uint32(3); // type = ACCEPT
    writer.uint32(34).fork(); // accept
    writer.uint32(18).fork(); // operations
    writer.uint32(8).uint32(1); // type = LAUNCH
    writer.uint32(18).fork(); // launch
    writer.uint32(10).fork(); // task_infos
    writer.uint32(10).string('n').uint32(18).fork().uint32(10).string('t').ldelim();
    writer.uint32(26).fork().uint32(10).string('a').ldelim();
    writer.uint32(34).bytes(resource);
    writer.ldelim().ldelim().ldelim().ldelim();
    expect(() => decodeCall(writer.finish(), PROTOBUF_TYPE)).toThrow(/resources\.type/);
  });

  it('rejects truncated protobuf', () => {
    const body = encodeCall(CALLS.ACCEPT as Call, PROTOBUF_TYPE);
    expect(() => decodeCall(body.subarray(0, body.length - 3), PROTOBUF_TYPE)).toThrow(
      MesosDecodeError,
    );
  });

  it('rejects protobuf missing a required field', () => {
    // type = KILL (field 2), kill = {} (field 6, empty): kill.task_id is missing.
    const body = Buffer.from([0x10, 6, 0x32, 0x00]);
    expect(() => decodeCall(body, PROTOBUF_TYPE)).toThrow(/missing required 'task_id'/);
  });
});

describe('events from a newer master', () => {
  it('keeps an unknown event type number', () => {
    const body = Buffer.from([0x08, 42]);
    expect(decodeEvent(body, PROTOBUF_TYPE)).toEqual({ type: 42 });
  });

  it('keeps an unknown event type name', () => {
    const body = Buffer.from('{"type":"SOMETHING_NEW","something_new":{}}');
    expect(decodeEvent(body, JSON_TYPE)).toEqual({ type: 'SOMETHING_NEW' });
  });

  it('keeps an unknown task state number', () => {
    const writer = protobuf.Writer.create();
    writer.uint32(8).uint32(4); // type = UPDATE
    writer.uint32(42).fork(); // update
    writer.uint32(10).fork(); // status
    writer.uint32(10).fork().uint32(10).string('t').ldelim(); // task_id
    writer.uint32(16).uint32(99); // state = 99
    writer.ldelim().ldelim();
    const event = decodeEvent(writer.finish(), PROTOBUF_TYPE);
    expect(event.update?.status.state).toBe(99);
  });

  it('keeps an unknown task state name', () => {
    const body = Buffer.from(
      '{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_NEW"}}}',
    );
    expect(decodeEvent(body, JSON_TYPE).update?.status.state).toBe('TASK_NEW');
  });
});

describe.each(CONTENT_TYPES)('encoder rejections (%s)', (contentType) => {
  it('missing required field', () => {
    const call = {
      type: 'KILL',
      framework_id: { value: 'f' },
      kill: { agent_id: { value: 'a' } },
    } as unknown as Call;
    const error = encodeError(() => encodeCall(call, contentType));
    expect(error).toBeInstanceOf(MesosEncodeError);
    expect(error.code).toBe('MESOS_ENCODE_INVALID');
    expect(error.problems).toEqual(['kill.task_id: missing required field']);
  });

  it('missing nested required field', () => {
    const accept = structuredClone(CALLS.ACCEPT) as Call;
    const docker = accept.accept?.operations?.[0]?.launch?.task_infos?.[0]?.container
      ?.docker as unknown as Record<string, unknown>;
    delete docker.image;
    const error = encodeError(() => encodeCall(accept, contentType));
    expect(error.problems).toEqual([
      'accept.operations[0].launch.task_infos[0].container.docker.image: missing required field',
    ]);
  });

  it('unknown enum name', () => {
    const call = { ...CALLS.REVIVE, type: 'REVIVE_ALL' } as unknown as Call;
    const error = encodeError(() => encodeCall(call, contentType));
    expect(error.problems[0]).toMatch(
      /^type: unknown mesos\.v1\.scheduler\.Call\.Type name "REVIVE_ALL"/,
    );
  });

  it('enum number', () => {
    const call = { ...CALLS.REVIVE, type: 5 } as unknown as Call;
    expect(encodeError(() => encodeCall(call, contentType)).problems[0]).toMatch(/^type: unknown/);
  });

  it('unknown key', () => {
    const call = { ...CALLS.REVIVE, frameworkId: { value: 'f' } } as unknown as Call;
    expect(encodeError(() => encodeCall(call, contentType)).problems).toEqual([
      'frameworkId: unknown field of mesos.v1.scheduler.Call',
    ]);
  });

  it('wrong scalar types', () => {
    const task = {
      ...DOCKER_TASK,
      name: 7,
      data: 'not bytes',
      kill_policy: { grace_period: { nanoseconds: '1.5' } },
    };
    const problems = encodeError(() =>
      encodeMessage('mesos.v1.TaskInfo', task, contentType),
    ).problems;
    expect(problems).toContain('name: expected a string, got number 7');
    expect(problems).toContain('data: expected a bytes, got string "not bytes"');
    expect(problems).toContain(
      'kill_policy.grace_period.nanoseconds: expected a int64 as a decimal string, got string "1.5"',
    );
  });

  it('out of range integers', () => {
    const range = { begin: '-1', end: '18446744073709551616' };
    const problems = encodeError(() =>
      encodeMessage('mesos.v1.Value.Range', range, contentType),
    ).problems;
    expect(problems).toHaveLength(2);
    const mapping = { host_port: 70000.5, container_port: -1 };
    const portProblems = encodeError(() =>
      encodeMessage('mesos.v1.ContainerInfo.DockerInfo.PortMapping', mapping, contentType),
    ).problems;
    expect(portProblems).toHaveLength(2);
  });
});

/** Wraps encoded DockerInfo bytes in an ACCEPT call that launches one Docker task. */
function wrapDockerInfo(docker: Uint8Array): Uint8Array {
  const writer = protobuf.Writer.create();
  writer.uint32(16).uint32(3); // type = ACCEPT
  writer.uint32(34).fork(); // accept
  writer.uint32(18).fork(); // operations
  writer.uint32(8).uint32(1); // type = LAUNCH
  writer.uint32(18).fork(); // launch
  writer.uint32(10).fork(); // task_infos
  writer.uint32(10).string('n').uint32(18).fork().uint32(10).string('t').ldelim();
  writer.uint32(26).fork().uint32(10).string('a').ldelim();
  writer.uint32(74).fork().uint32(8).uint32(1).uint32(26).bytes(docker).ldelim(); // container
  writer.ldelim().ldelim().ldelim().ldelim();
  return writer.finish();
}
