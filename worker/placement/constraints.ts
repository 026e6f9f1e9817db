import type { LaunchRequest } from '../../shared/launch/types.js';
import type { Offer } from '../../shared/mesos/types.js';

/**
 * Tells whether an offer's agent satisfies a launch's placement constraints, such as rules on
 * the offer's `attributes`. Launch requests carry no constraints yet, so every offer qualifies.
 * Matching skips a request once its shape fitted no offer, so any constraint added here must
 * also be part of `constraintKey`.
 */
export function matchesConstraints(_request: LaunchRequest, _offer: Offer): boolean {
  return true;
}

/** Identifies a request's constraints within its shape key; empty while there are none. */
export function constraintKey(_request: LaunchRequest): string {
  return '';
}
