/** A listener registration; `dispose` removes it (once). */
export interface Subscription {
  dispose(): void;
}

/**
 * The workbench's typed event hub: each `on` returns a subscription, released with its owner.
 * The renderer's own (it imports nothing from main/), with the same shape as the core's.
 */
export class TypedEmitter<Events extends { [K in keyof Events]: (...args: never[]) => void }> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  on<K extends keyof Events>(event: K, listener: Events[K]): Subscription {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    let done = false;
    return {
      dispose: () => {
        if (done) return;
        done = true;
        set.delete(listener);
      },
    };
  }

  emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) (listener as (...a: Parameters<Events[K]>) => void)(...args);
  }
}
