/**
 * The host ports this framework's live tasks use, per agent. Offers already leave out ports in
 * use, but an offer made before a task was launched can still list them, and placement skips
 * the ports listed here.
 */
export class PortLedger {
  readonly #byAgent = new Map<string, Set<number>>();
  readonly #byLaunch = new Map<string, { agentId: string; ports: number[] }>();

  portsInUse(agentId: string): ReadonlySet<number> | undefined {
    return this.#byAgent.get(agentId);
  }

  /** Records the ports of a launch's task on an agent, replacing what the launch held before. */
  hold(launchId: string, agentId: string, ports: readonly number[]): void {
    this.release(launchId);
    if (ports.length === 0) {
      return;
    }

    const used = this.#byAgent.get(agentId) ?? new Set<number>();
    for (const port of ports) {
      used.add(port);
    }

    this.#byAgent.set(agentId, used);
    this.#byLaunch.set(launchId, { agentId, ports: [...ports] });
  }

  release(launchId: string): void {
    const held = this.#byLaunch.get(launchId);
    if (!held) {
      return;
    }

    this.#byLaunch.delete(launchId);
    const used = this.#byAgent.get(held.agentId);
    for (const port of held.ports) {
      used?.delete(port);
    }

    if (used?.size === 0) {
      this.#byAgent.delete(held.agentId);
    }
  }

  clear(): void {
    this.#byAgent.clear();
    this.#byLaunch.clear();
  }
}
