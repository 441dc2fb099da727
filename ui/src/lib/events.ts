// Typed subscriptions to the backend's events: the only module that calls `listen`.
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { ClipboardCleared, InventoryProgress, TrayAction } from './types';

export interface EventPayloads {
  'inventory-progress': InventoryProgress;
  'keys-changed': unknown;
  'accounts-changed': unknown;
  /** Held secrets changed (created from the tray, saved, dismissed). */
  'secrets-changed': unknown;
  'clipboard-cleared': ClipboardCleared;
  'tray-action': TrayAction;
}

export type EventName = keyof EventPayloads;

export async function on<E extends EventName>(
  event: E,
  handler: (payload: EventPayloads[E]) => void,
): Promise<UnlistenFn> {
  return listen<EventPayloads[E]>(event, (e) => handler(e.payload));
}

/** Subscribes to several events; the returned function stops them all. */
export async function onAll(
  handlers: { [E in EventName]?: (payload: EventPayloads[E]) => void },
): Promise<() => void> {
  const stops = await Promise.all(
    (Object.keys(handlers) as EventName[]).map((name) =>
      // The cast keeps each handler paired with its own event name.
      on(name, handlers[name] as (p: EventPayloads[EventName]) => void),
    ),
  );
  return () => stops.forEach((stop) => stop());
}
