import type { Resource } from '../mesos-types.js';
import { addRanges, subtractRanges, type Interval } from './ranges.js';
import {
  entryContains,
  entryFrom,
  formatEntry,
  isEmptyEntry,
  toWire,
  type Entry,
  type WireFormat,
} from './bag-entry.js';
import { resourceKey } from './resource-key.js';

export type { WireFormat } from './bag-entry.js';

/**
 * A multiset of resources with Mesos's arithmetic: scalars add in thousandths, ranges merge,
 * sets unite, and resources that differ in name, type, reservation or other metadata stay
 * apart. Empty resources are dropped, as Mesos drops them. Input must already be validated.
 */
export class ResourceBag {
  private readonly entries = new Map<string, Entry>();

  static from(resources: readonly Resource[] | undefined): ResourceBag {
    const bag = new ResourceBag();
    for (const resource of resources ?? []) {
      bag.addResource(resource);
    }
    return bag;
  }

  clone(): ResourceBag {
    const copy = new ResourceBag();
    for (const [key, entry] of this.entries) {
      copy.entries.set(key, {
        template: entry.template,
        type: entry.type,
        milli: entry.milli,
        ranges: entry.ranges.map((range) => ({ ...range })),
        items: new Set(entry.items),
      });
    }
    return copy;
  }

  isEmpty(): boolean {
    return this.entries.size === 0;
  }

  addResource(resource: Resource): void {
    const entry = entryFrom(resource);
    if (entry === undefined || isEmptyEntry(entry)) {
      return;
    }

    const key = resourceKey(resource);
    const existing = this.entries.get(key);
    if (existing === undefined) {
      this.entries.set(key, entry);
      return;
    }

    existing.milli += entry.milli;
    existing.ranges = addRanges(existing.ranges, entry.ranges);
    entry.items.forEach((item) => existing.items.add(item));
  }

  add(other: ResourceBag): void {
    for (const [key, entry] of other.entries) {
      const existing = this.entries.get(key);
      if (existing === undefined) {
        this.entries.set(key, { ...entry, ranges: [...entry.ranges], items: new Set(entry.items) });
        continue;
      }
      existing.milli += entry.milli;
      existing.ranges = addRanges(existing.ranges, entry.ranges);
      entry.items.forEach((item) => existing.items.add(item));
    }
  }

  /** Removes `other`, dropping resources that become empty. Callers check `contains` first. */
  subtract(other: ResourceBag): void {
    for (const [key, entry] of other.entries) {
      const existing = this.entries.get(key);
      if (existing === undefined) {
        continue;
      }
      existing.milli -= entry.milli;
      existing.ranges = subtractRanges(existing.ranges, entry.ranges);
      entry.items.forEach((item) => existing.items.delete(item));
      if (isEmptyEntry(existing) || existing.milli < 0) {
        this.entries.delete(key);
      }
    }
  }

  contains(other: ResourceBag): boolean {
    for (const [key, entry] of other.entries) {
      const existing = this.entries.get(key);
      if (existing === undefined || !entryContains(existing, entry)) {
        return false;
      }
    }
    return true;
  }

  /** Sums a scalar resource across reservations, in thousandths (Mesos's `Resources::get`). */
  scalarMilli(name: string): number {
    let total = 0;
    for (const entry of this.entries.values()) {
      if (entry.template.name === name && entry.type === 'SCALAR') {
        total += entry.milli;
      }
    }
    return total;
  }

  /** Unites the ranges of one RANGES resource across reservations; undefined when absent. */
  ranges(name: string): Interval[] | undefined {
    let found: Interval[] | undefined;
    for (const entry of this.entries.values()) {
      if (entry.template.name === name && entry.type === 'RANGES') {
        found = addRanges(found ?? [], entry.ranges);
      }
    }
    return found;
  }

  names(): Set<string> {
    return new Set([...this.entries.values()].map((entry) => entry.template.name));
  }

  toResources(format: WireFormat = {}): Resource[] {
    return [...this.entries.values()].map((entry) => toWire(entry, format));
  }

  /** Formats like Mesos's `operator<<(Resources)`: `cpus(allocated: *):1; ports(...):[...]`. */
  format(allocationRole?: string): string {
    if (this.entries.size === 0) {
      return '{}';
    }
    return [...this.entries.values()].map((entry) => formatEntry(entry, allocationRole)).join('; ');
  }
}
