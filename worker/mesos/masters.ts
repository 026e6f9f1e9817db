import { ConfigError } from '../../shared/errors.js';

/** The scheduler endpoint path; libprocess also routes `/api/v1/scheduler` to the master. */
export const SCHEDULER_PATH = '/api/v1/scheduler';

/**
 * Turns one configured master into the scheduler endpoint URL. Accepts `host:port`,
 * `http://host:port` (the path becomes `/api/v1/scheduler`) or a full URL with its own path.
 */
export function toSchedulerUrl(master: string): string {
  const trimmed = master.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;

  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (error) {
    throw new ConfigError(
      `Invalid Mesos master address ${JSON.stringify(master)}: ${(error as Error).message}`,
    );
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(
      `Invalid Mesos master address ${JSON.stringify(master)}: use http or https`,
    );
  }

  if (url.pathname === '/' || url.pathname === '') {
    url.pathname = SCHEDULER_PATH;
  }
  return url.toString();
}

/**
 * Resolves a 307 `Location` against the URL of the request it answers. Mesos sends it without a scheme
 * (`//m2:5050/master/api/v1/scheduler`), and older masters send only `//host:port`; then the
 * original path and query are kept. Returns undefined when the header is missing or unusable.
 */
export function resolveRedirect(location: string | undefined, from: string): string | undefined {
  if (!location || location.trim() === '') {
    return undefined;
  }

  const base = new URL(from);
  const value = location.trim();
  let target: URL;
  try {
    target = new URL(value, base);
  } catch {
    return undefined;
  }

  if (!hasExplicitPath(value)) {
    target.pathname = base.pathname;
    target.search = base.search;
  }
  return target.toString();
}

/** Tells whether a Location value carries a path after its authority (`//host:port/...`). */
function hasExplicitPath(location: string): boolean {
  const match = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*(.*)$/i.exec(location);
  if (!match) {
    return true;
  }
  return (match[1] ?? '') !== '';
}

/**
 * The configured masters in order, plus the leader learned from the last redirect. The leader,
 * when known, is tried first; a failure forgets it and moves on to the next configured master.
 */
export class MasterSelector {
  private readonly masters: string[];
  private index = 0;
  private leader: string | undefined;

  constructor(masters: string[]) {
    if (masters.length === 0) {
      throw new ConfigError('No Mesos master configured: give at least one host:port or URL');
    }
    this.masters = masters.map(toSchedulerUrl);
  }

  /** Returns the URL to subscribe to next. */
  current(): string {
    return this.leader ?? (this.masters[this.index] as string);
  }

  /** Remembers the leader a 307 pointed to. */
  setLeader(url: string): void {
    this.leader = url;
  }

  /** Forgets the leader and moves to the next configured master. */
  advance(): void {
    this.leader = undefined;
    this.index = (this.index + 1) % this.masters.length;
  }

  get configured(): readonly string[] {
    return this.masters;
  }
}
