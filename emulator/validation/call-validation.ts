import { isValidUuidBytes } from '../master/ids.js';
import type { Call } from '../mesos-types.js';

/** The payload field each call type must carry (`scheduler::call::validate`). */
const REQUIRED_PAYLOAD: Partial<Record<string, keyof Call>> = {
  ACCEPT: 'accept',
  DECLINE: 'decline',
  ACCEPT_INVERSE_OFFERS: 'accept_inverse_offers',
  DECLINE_INVERSE_OFFERS: 'decline_inverse_offers',
  KILL: 'kill',
  SHUTDOWN: 'shutdown',
  ACKNOWLEDGE: 'acknowledge',
  ACKNOWLEDGE_OPERATION_STATUS: 'acknowledge_operation_status',
  RECONCILE: 'reconcile',
  RECONCILE_OPERATIONS: 'reconcile_operations',
  MESSAGE: 'message',
  REQUEST: 'request',
  UPDATE_FRAMEWORK: 'update_framework',
};

/**
 * Validates a decoded call as the master does before anything else, returning the text that
 * follows "Failed to validate scheduler::Call: " in the 400 body, or undefined.
 * `principal` is the authenticated principal, when credentials are in use.
 */
export function validateCall(call: Call, principal: string | undefined): string | undefined {
  const type = call.type as string | undefined;
  if (type === undefined) {
    return "Expecting 'type' to be present";
  }

  if (type === 'SUBSCRIBE') {
    return validateSubscribe(call, principal);
  }

  if (call.framework_id === undefined) {
    return "Expecting 'framework_id' to be present";
  }

  const payload = REQUIRED_PAYLOAD[type];
  if (payload !== undefined && call[payload] === undefined) {
    return `Expecting '${payload}' to be present`;
  }

  return validatePayload(call);
}

function validateSubscribe(call: Call, principal: string | undefined): string | undefined {
  if (call.subscribe === undefined) {
    return "Expecting 'subscribe' to be present";
  }

  const info = call.subscribe.framework_info;
  if ((info.id?.value ?? '') !== (call.framework_id?.value ?? '')) {
    return "'framework_id' differs from 'subscribe.framework_info.id'";
  }

  if (principal !== undefined && info.principal !== undefined && info.principal !== principal) {
    return `Authenticated principal '${principal}' does not match principal '${info.principal}' set in \`FrameworkInfo\``;
  }
  return undefined;
}

function validatePayload(call: Call): string | undefined {
  if (call.type === 'ACKNOWLEDGE' && !isValidUuidBytes(call.acknowledge?.uuid)) {
    return 'Not a valid UUID';
  }

  if (call.type === 'ACKNOWLEDGE_OPERATION_STATUS') {
    if (!isValidUuidBytes(call.acknowledge_operation_status?.uuid)) {
      return 'Not a valid UUID';
    }
    if (call.acknowledge_operation_status?.agent_id === undefined) {
      return "Expecting 'agent_id' to be present";
    }
  }

  if (
    call.type === 'UPDATE_FRAMEWORK' &&
    call.update_framework?.framework_info.id?.value !== call.framework_id?.value
  ) {
    return "'framework_id' differs from 'update_framework.framework_info.id'";
  }
  return undefined;
}
