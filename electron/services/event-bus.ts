// Push events from services to whoever shows them (the window over IPC, the browser host over
// WebSocket, or a CLI printing progress). Typed by the event allowlist in core/api/channels.ts.
import type { EventName } from '../../core/api/channels.js';
import type { EventPayloads } from '../../core/api/types.js';

type Listener<E extends EventName> = (payload: EventPayloads[E]) => void;

export class EventBus {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<EventName>);
    return () => set.delete(listener as Listener<EventName>);
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      // One broken listener must not stop the others or the service that emitted.
      try {
        listener(payload);
      } catch (error) {
        console.error(`sealmail: listener for ${event} failed:`, error);
      }
    }
  }
}
