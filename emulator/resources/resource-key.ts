import type { Resource } from '../mesos-types.js';

/** One reservation in the post-refinement form, the form Mesos compares resources in. */
export interface CanonicalReservation {
  type: string;
  role: string;
  principal?: string;
  labels?: object;
}

/**
 * Converts either reservation format to the post-refinement list: `role: "foo"` alone is a
 * STATIC reservation for `foo`, `role` plus `reservation` a DYNAMIC one, and no role (or `*`)
 * with no `reservations` is unreserved (an empty list).
 */
export function canonicalReservations(resource: Resource): CanonicalReservation[] {
  if (resource.reservations !== undefined && resource.reservations.length > 0) {
    return resource.reservations.map((reservation) => ({
      type: String(reservation.type ?? 'UNKNOWN'),
      role: reservation.role ?? '',
      ...(reservation.principal !== undefined ? { principal: reservation.principal } : {}),
      ...(reservation.labels !== undefined ? { labels: reservation.labels } : {}),
    }));
  }

  if (resource.role === undefined || resource.role === '*') {
    return [];
  }

  if (resource.reservation === undefined) {
    return [{ type: 'STATIC', role: resource.role }];
  }

  return [
    {
      type: 'DYNAMIC',
      role: resource.role,
      ...(resource.reservation.principal !== undefined
        ? { principal: resource.reservation.principal }
        : {}),
      ...(resource.reservation.labels !== undefined ? { labels: resource.reservation.labels } : {}),
    },
  ];
}

/**
 * Returns the identity of a resource apart from its amount and allocation role: two resources
 * with equal keys add up and one can contain the other, as in Mesos's `Resources` arithmetic.
 */
export function resourceKey(resource: Resource): string {
  let key = `${resource.name}\u0000${String(resource.type)}`;

  const plain =
    (resource.role === undefined || resource.role === '*') &&
    resource.reservations === undefined &&
    resource.reservation === undefined &&
    resource.disk === undefined &&
    resource.revocable === undefined &&
    resource.shared === undefined &&
    resource.provider_id === undefined;

  if (plain) {
    return key;
  }

  key += `\u0000${JSON.stringify(canonicalReservations(resource))}`;
  key += `\u0000${JSON.stringify(resource.disk ?? null)}`;
  key += `\u0000${resource.revocable === undefined ? '' : 'revocable'}`;
  key += `\u0000${resource.shared === undefined ? '' : 'shared'}`;
  key += `\u0000${resource.provider_id?.value ?? ''}`;
  return key;
}

/** Tells whether a resource is reserved, in either format. */
export function isReserved(resource: Resource): boolean {
  return canonicalReservations(resource).length > 0;
}
