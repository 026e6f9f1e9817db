import { describe, expect, it } from 'vitest';
import { RecordIoDecoder, RecordIoError, encodeRecord } from '../../shared/mesos/index.js';

function frame(payloads: Uint8Array[]): Buffer {
  return Buffer.concat(payloads.map((payload) => encodeRecord(payload)));
}

function decodeInChunks(stream: Uint8Array, chunkBytes: number): Buffer[] {
  const decoder = new RecordIoDecoder();
  const records: Buffer[] = [];
  for (let offset = 0; offset < stream.length; offset += chunkBytes) {
    for (const record of decoder.push(stream.subarray(offset, offset + chunkBytes))) {
      records.push(Buffer.from(record));
    }
  }
  expect(decoder.pendingBytes).toBe(0);
  return records;
}

function malformed(input: string): RecordIoError {
  const decoder = new RecordIoDecoder();
  try {
    decoder.push(Buffer.from(input));
  } catch (error) {
    return error as RecordIoError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('RecordIO', () => {
  it('frames a payload', () => {
    expect(Buffer.from(encodeRecord(Buffer.from('hello'))).toString()).toBe('5\nhello');
  });

  it('splits inside the length prefix', () => {
    const payloads = [Buffer.alloc(1234, 1), Buffer.from('x'), Buffer.alloc(99_999, 2)];
    const stream = frame(payloads);
    for (const chunkBytes of [1, 2, 3, 5]) {
      expect(decodeInChunks(stream, chunkBytes)).toEqual(payloads);
    }
  });

  it('splits inside a UTF-8 character', () => {
    const json = '{"message":"héllo ✓ 😀 wörld"}';
    const payloads = [Buffer.from(json), Buffer.from(json.repeat(3))];
    const stream = frame(payloads);
    for (let chunkBytes = 1; chunkBytes <= 16; chunkBytes += 1) {
      const records = decodeInChunks(stream, chunkBytes);
      expect(records.map((record) => record.toString('utf8'))).toEqual([json, json.repeat(3)]);
    }
  });

  it('counts the length in bytes', () => {
    const payload = Buffer.from('✓✓');
    expect(Buffer.from(encodeRecord(payload)).toString()).toBe('6\n✓✓');
  });

  it('many records in one chunk', () => {
    const payloads = Array.from({ length: 1000 }, (_, index) => Buffer.from(`record-${index}`));
    const records = new RecordIoDecoder().push(frame(payloads));
    expect(records).toHaveLength(1000);
    expect(Buffer.from(records[999] as Uint8Array).toString()).toBe('record-999');
  });

  it('multi-megabyte record', () => {
    const big = Buffer.alloc(5 * 1024 * 1024);
    for (let index = 0; index < big.length; index += 1) {
      big[index] = index % 251;
    }
    const stream = frame([big, Buffer.from('after')]);
    const records = decodeInChunks(stream, 64 * 1024 + 3);
    expect(records).toHaveLength(2);
    expect(records[0]?.equals(big)).toBe(true);
    expect(records[1]?.toString()).toBe('after');
  });

  it('keeps a partial record pending', () => {
    const decoder = new RecordIoDecoder();
    expect(decoder.push(Buffer.from('10\nabc'))).toEqual([]);
    expect(decoder.pendingBytes).toBe(3);
  });

  it('rejects a non-numeric header', () => {
    const error = malformed('12x\n');
    expect(error).toBeInstanceOf(RecordIoError);
    expect(error.code).toBe('RECORDIO_MALFORMED');
    expect(error.message).toMatch(/unexpected byte 0x78 after '12'/);
  });

  it('rejects an empty header', () => {
    expect(malformed('\n{}').message).toMatch(/empty length/);
  });

  it('rejects a carriage return', () => {
    expect(malformed('2\r\n{}').message).toMatch(/0x0d/);
  });

  it('rejects an overlong header', () => {
    expect(malformed('123456789012345678901\n').code).toBe('RECORDIO_MALFORMED');
  });

  it('rejects a record above the maximum', () => {
    const decoder = new RecordIoDecoder({ maxRecordBytes: 10 });
    expect(() => decoder.push(Buffer.from('11\n'))).toThrow(/exceeds the maximum of 10/);
  });

  it('stays failed after an error', () => {
    const decoder = new RecordIoDecoder();
    expect(() => decoder.push(Buffer.from('x'))).toThrow(RecordIoError);
    expect(() => decoder.push(Buffer.from('2\n{}'))).toThrow(RecordIoError);
  });
});
