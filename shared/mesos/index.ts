export {
  CALL_TYPE_NAME,
  EVENT_TYPE_NAME,
  decodeCall,
  decodeEvent,
  decodeMessage,
  encodeCall,
  encodeEvent,
  encodeMessage,
  isMesosContentType,
} from './codec.js';
export type { MesosContentType } from './codec.js';
export { MesosDecodeError, MesosEncodeError, RecordIoError } from './errors.js';
export { DEFAULT_MAX_RECORD_BYTES, RecordIoDecoder, encodeRecord } from './recordio.js';
export { findProtoDir, loadMesosSchema, lookupMessageType } from './schema.js';
export type * from './types.js';
