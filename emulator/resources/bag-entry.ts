import type { Resource } from '../mesos-types.js';
import {
  coalesce,
  containsRanges,
  formatRanges,
  parseWireRanges,
  toWireRanges,
  type Interval,
} from './ranges.js';
import { canonicalReservations } from './resource-key.js';
import { formatScalar, fromMilli, toMilli } from './scalar.js';

/** One resource of a ResourceBag: its metadata and its amount. */
export interface Entry {
  /** The resource's metadata with amounts and `allocation_info` removed. */
  template: Resource;
  type: 'SCALAR' | 'RANGES' | 'SET';
  milli: number;
  ranges: Interval[];
  items: Set<string>;
}

/** The wire format of resources for one framework. */
export interface WireFormat {
  /** Set for MULTI_ROLE frameworks: the offer's role goes into every resource. */
  allocationRole?: string;
  /** RESERVATION_REFINEMENT frameworks get `reservations` and no `role`. */
  reservationRefinement?: boolean;
}

/** Reads a validated resource into an entry; undefined for types a bag cannot hold (TEXT). */
export function entryFrom(resource: Resource): Entry | undefined {
  const template = metadataOf(resource);
  const base = { template, milli: 0, ranges: [] as Interval[], items: new Set<string>() };

  switch (resource.type) {
    case 'SCALAR':
      return { ...base, type: 'SCALAR', milli: toMilli(resource.scalar?.value ?? 0) };
    case 'RANGES':
      return { ...base, type: 'RANGES', ranges: coalesce(parseWireRanges(resource.ranges)) };
    case 'SET':
      return { ...base, type: 'SET', items: new Set(resource.set?.item ?? []) };
    default:
      return undefined;
  }
}

/** Copies a resource without its amounts and `allocation_info`, field by field (no `delete`). */
function metadataOf(resource: Resource): Resource {
  const template: Resource = { name: resource.name, type: resource.type };
  if (resource.role !== undefined) {
    template.role = resource.role;
  }
  if (resource.reservation !== undefined) {
    template.reservation = resource.reservation;
  }
  if (resource.reservations !== undefined) {
    template.reservations = resource.reservations;
  }
  if (resource.disk !== undefined) {
    template.disk = resource.disk;
  }
  if (resource.revocable !== undefined) {
    template.revocable = resource.revocable;
  }
  if (resource.shared !== undefined) {
    template.shared = resource.shared;
  }
  if (resource.provider_id !== undefined) {
    template.provider_id = resource.provider_id;
  }
  return template;
}

export function isEmptyEntry(entry: Entry): boolean {
  switch (entry.type) {
    case 'SCALAR':
      return entry.milli === 0;
    case 'RANGES':
      return entry.ranges.length === 0;
    case 'SET':
      return entry.items.size === 0;
  }
}

export function entryContains(outer: Entry, inner: Entry): boolean {
  switch (inner.type) {
    case 'SCALAR':
      return inner.milli <= outer.milli;
    case 'RANGES':
      return containsRanges(outer.ranges, inner.ranges);
    case 'SET':
      return [...inner.items].every((item) => outer.items.has(item));
  }
}

export function toWire(entry: Entry, format: WireFormat): Resource {
  const unreserved = canonicalReservations(entry.template).length === 0;
  const resource: Resource = unreserved
    ? unreservedCopy(entry.template, format)
    : { ...entry.template };

  if (format.allocationRole !== undefined) {
    resource.allocation_info = { role: format.allocationRole };
  }

  switch (entry.type) {
    case 'SCALAR':
      return { ...resource, scalar: { value: fromMilli(entry.milli) } };
    case 'RANGES':
      return { ...resource, ranges: toWireRanges(entry.ranges) };
    case 'SET':
      return { ...resource, set: { item: [...entry.items] } };
  }
}

/** Writes an unreserved resource's metadata with `role: '*'`, or without `role` for refinement. */
function unreservedCopy(template: Resource, format: WireFormat): Resource {
  const resource: Resource = { name: template.name, type: template.type };
  if (format.reservationRefinement !== true) {
    resource.role = '*';
  }
  if (template.disk !== undefined) {
    resource.disk = template.disk;
  }
  if (template.revocable !== undefined) {
    resource.revocable = template.revocable;
  }
  if (template.shared !== undefined) {
    resource.shared = template.shared;
  }
  if (template.provider_id !== undefined) {
    resource.provider_id = template.provider_id;
  }
  return resource;
}

export function formatEntry(entry: Entry, allocationRole: string | undefined): string {
  let text = entry.template.name;
  if (allocationRole !== undefined) {
    text += `(allocated: ${allocationRole})`;
  }

  const reservations = canonicalReservations(entry.template);
  if (reservations.length > 0) {
    const parts = reservations.map((reservation) => {
      const principal = reservation.principal !== undefined ? `,${reservation.principal}` : '';
      return `(${reservation.type},${reservation.role}${principal})`;
    });
    text += `(reservations: [${parts.join(',')}])`;
  }
  if (entry.template.revocable !== undefined) {
    text += '{REV}';
  }
  if (entry.template.shared !== undefined) {
    text += '<SHARED>';
  }

  return `${text}:${formatAmount(entry)}`;
}

function formatAmount(entry: Entry): string {
  switch (entry.type) {
    case 'SCALAR':
      return formatScalar(fromMilli(entry.milli));
    case 'RANGES':
      return formatRanges(entry.ranges);
    case 'SET':
      return `{${[...entry.items].join(', ')}}`;
  }
}
