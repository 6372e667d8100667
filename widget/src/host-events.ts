import type { VisitorMessage } from "@/lib/widget/protocol";

export type HostEvents = { message: [VisitorMessage]; open: []; close: [] };
export type HostEventName = keyof HostEvents;

type Listeners = { [K in HostEventName]: Set<(...args: HostEvents[K]) => void> };

/** The events a host page subscribes to with `SupportChat.on`. */
export function hostEvents() {
  const listeners: Listeners = { message: new Set(), open: new Set(), close: new Set() };
  return {
    on<K extends HostEventName>(name: K, listener: (...args: HostEvents[K]) => void): () => void {
      const set: Listeners[K] = listeners[name];
      set.add(listener);
      return () => void set.delete(listener);
    },
    emit<K extends HostEventName>(name: K, ...args: HostEvents[K]): void {
      const set: Listeners[K] = listeners[name];
      for (const listener of set) {
        try {
          listener(...args);
        } catch (error) {
          // The host's bug shows in its console without stopping the widget or the other listeners.
          setTimeout(() => {
            throw error;
          });
        }
      }
    },
  };
}
