import { RecordIoError } from './errors.js';

const NEWLINE = 0x0a;
const DIGIT_ZERO = 0x30;
const DIGIT_NINE = 0x39;

/** 20 digits hold any uint64, the type of a RecordIO length. */
const MAX_HEADER_DIGITS = 20;

/**
 * The largest record accepted by default. It is an estimate with a wide margin: an OFFERS event
 * with 1,000 offers is under 1 MB, so a larger length points to a corrupt header.
 */
export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** Frames one payload as a RecordIO record: its decimal byte length, `\n`, then the bytes. */
export function encodeRecord(payload: Uint8Array): Uint8Array {
  const header = Buffer.from(`${payload.byteLength}\n`, 'ascii');
  return Buffer.concat([header, payload]);
}

/**
 * Splits a RecordIO byte stream into records, for any chunking of the input: a chunk may end
 * inside a length header, inside a payload (also inside a multi-byte UTF-8 character, since
 * payloads stay bytes) or hold many records. Throws RecordIoError (code RECORDIO_MALFORMED)
 * on a header that is not decimal digits followed by `\n`, or on a length above the maximum.
 * After that error the decoder stays failed.
 */
export class RecordIoDecoder {
  private readonly maxRecordBytes: number;
  private headerDigits = '';
  private payloadLength: number | undefined;
  private payloadParts: Uint8Array[] = [];
  private payloadReceived = 0;
  private failure: RecordIoError | undefined;

  constructor(options: { maxRecordBytes?: number } = {}) {
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** Bytes of an unfinished record (header or payload) held until more input arrives. */
  get pendingBytes(): number {
    return this.headerDigits.length + this.payloadReceived;
  }

  /** Consumes one chunk and returns the records it completed, in stream order. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure) {
      throw this.failure;
    }

    const records: Uint8Array[] = [];
    let offset = 0;
    while (offset < chunk.byteLength) {
      if (this.payloadLength === undefined) {
        offset = this.readHeader(chunk, offset, records);
      } else {
        offset = this.readPayload(chunk, offset, records);
      }
    }
    return records;
  }

  private readHeader(chunk: Uint8Array, offset: number, records: Uint8Array[]): number {
    let position = offset;
    while (position < chunk.byteLength) {
      const byte = chunk[position] as number;
      position += 1;
      if (byte === NEWLINE) {
        this.startPayload(records);
        return position;
      }

      if (byte < DIGIT_ZERO || byte > DIGIT_NINE || this.headerDigits.length >= MAX_HEADER_DIGITS) {
        this.fail(
          `Malformed RecordIO length header: unexpected byte 0x${byte.toString(16).padStart(2, '0')} after '${this.headerDigits}'`,
        );
      }
      this.headerDigits += String.fromCharCode(byte);
    }
    return position;
  }

  private startPayload(records: Uint8Array[]): void {
    if (this.headerDigits === '') {
      this.fail('Malformed RecordIO length header: empty length');
    }

    const length = Number(this.headerDigits);
    if (length > this.maxRecordBytes) {
      this.fail(
        `RecordIO record of ${this.headerDigits} bytes exceeds the maximum of ${this.maxRecordBytes}`,
      );
    }

    this.headerDigits = '';
    if (length === 0) {
      records.push(new Uint8Array(0));
      return;
    }
    this.payloadLength = length;
  }

  private readPayload(chunk: Uint8Array, offset: number, records: Uint8Array[]): number {
    const length = this.payloadLength as number;
    const take = Math.min(length - this.payloadReceived, chunk.byteLength - offset);
    this.payloadParts.push(chunk.subarray(offset, offset + take));
    this.payloadReceived += take;

    if (this.payloadReceived === length) {
      const parts = this.payloadParts;
      records.push(parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts, length));
      this.payloadParts = [];
      this.payloadReceived = 0;
      this.payloadLength = undefined;
    }
    return offset + take;
  }

  private fail(message: string): never {
    this.failure = new RecordIoError(message);
    throw this.failure;
  }
}
