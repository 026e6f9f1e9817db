import type { Call } from '../mesos-types.js';
import { accept } from './accept.js';
import type { MasterContext } from './context.js';
import { revive, suppress, updateFramework, type HttpAnswer } from './framework-calls.js';
import { removeFramework } from './framework-lifecycle.js';
import type { Framework } from './model.js';
import { declineOffers } from './offers.js';
import { reconcile } from './reconcile.js';
import { acknowledge, kill } from './task-calls.js';

const ACCEPTED: HttpAnswer = { status: 202 };

/**
 * Runs a validated non-SUBSCRIBE call of a connected framework and returns the HTTP response:
 * 202 for everything queued (errors surface later as events or are dropped, as in Mesos),
 * UPDATE_FRAMEWORK's own 200 or 400, and 501 for type UNKNOWN.
 */
export function dispatchCall(ctx: MasterContext, framework: Framework, call: Call): HttpAnswer {
  switch (call.type) {
    case 'TEARDOWN':
      removeFramework(ctx, framework);
      return ACCEPTED;
    case 'ACCEPT':
      accept(ctx, framework, call.accept!);
      return ACCEPTED;
    case 'DECLINE':
      declineOffers(ctx, framework, call.decline!.offer_ids ?? [], call.decline!.filters);
      return ACCEPTED;
    case 'REVIVE':
      revive(ctx, framework, call.revive?.roles ?? []);
      return ACCEPTED;
    case 'SUPPRESS':
      suppress(ctx, framework, call.suppress?.roles ?? []);
      return ACCEPTED;
    case 'KILL':
      kill(ctx, framework, call.kill!);
      return ACCEPTED;
    case 'ACKNOWLEDGE':
      acknowledge(ctx, framework, call.acknowledge!);
      return ACCEPTED;
    case 'RECONCILE':
      reconcile(ctx, framework, call.reconcile!.tasks ?? []);
      return ACCEPTED;
    case 'UPDATE_FRAMEWORK':
      return updateFramework(ctx, framework, call.update_framework!);
    case 'UNKNOWN':
      return { status: 501 };
    default:
      // SHUTDOWN, MESSAGE, REQUEST, inverse offers and operation feedback: accepted and
      // ignored, because the simulated agents run no custom executors or resource providers.
      ctx.logger.debug({ frameworkId: framework.id, type: call.type }, 'ignoring call');
      return ACCEPTED;
  }
}
