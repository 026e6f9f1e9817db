/** One request to the scheduler endpoint and the status the master returned. */
export interface CallLogEntry {
  /** ISO-8601 time the request arrived. */
  receivedAt: string;
  method: string;
  path: string;
  /** The call's `type`, when the body decoded; absent for requests refused before that. */
  type?: string;
  frameworkId?: string;
  /** The request's `Mesos-Stream-Id` header. */
  streamId?: string;
  /** The request's `Content-Type` header, verbatim. */
  contentType?: string;
  /** The request's `Accept` header, verbatim. */
  accept?: string;
  /** The HTTP status of the response. */
  status: number;
}

/** Keeps the most recent `limit` scheduler requests for tests to inspect, in a ring. */
export class CallLog {
  private entries: CallLogEntry[] = [];
  /** The index the next entry overwrites once the ring is full. */
  private next = 0;

  constructor(private readonly limit: number) {}

  add(entry: CallLogEntry): void {
    if (this.limit <= 0) {
      return;
    }
    if (this.entries.length < this.limit) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.limit;
  }

  /** Returns the kept entries, oldest first. */
  list(): CallLogEntry[] {
    return [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
  }

  clear(): void {
    this.entries = [];
    this.next = 0;
  }
}
