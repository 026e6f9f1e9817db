export { default, createEdgeApp, type EdgeEnv, type EdgeTestOverrides } from './worker.js';
export { createForwardingBackend, type ForwarderOptions } from './forwarder.js';
