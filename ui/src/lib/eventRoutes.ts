// Where each backend event goes: progress to the inventory, changes made elsewhere (the tray)
// to a re-list, held secrets to the reveal panel, tray menu picks to the window. `events.ts`
// only subscribes; this module decides what an event means for the window.
import { refreshAll } from './actions';
import { isEcho } from './echo';
import { onAll, type EventPayloads } from './events';
import { inventory } from './inventory.svelte';
import { reveal } from './reveal.svelte';
import { reloadAccounts, report } from './startup';
import { toaster } from './toasts.svelte';
import type { TrayAction } from './types';
import { view } from './view.svelte';

export type Handlers = { [E in keyof EventPayloads]: (payload: EventPayloads[E]) => void };

/** Changes come in bursts (one tray action touches several keys): one re-list after them. */
export const RELIST_DELAY_MS = 300;

/** A tray menu pick, carried out in the window. */
export function onTray(action: TrayAction): void {
  switch (action.action) {
    case 'refresh':
      void refreshAll();
      break;
    case 'new-key':
      // The tray could not make the key by itself: the form, with the reason.
      if (action.error) toaster.show(action.error.message, 'error');
      view.openCreate(action.accountId ?? null);
      break;
    case 'open-reveal':
      if (action.error) toaster.show(action.error.message, 'error');
      reveal.load(false).then(() => {
        const held = reveal.pending.find((p) => p.handle === action.handle);
        if (held) inventory.upsert(held.record);
        reveal.openFor(action.handle);
      }, report('Could not read the unsaved keys'));
      break;
    case 'select-key':
      // E.g. the tray could not delete an old key whose grace ended: the key, and why.
      if (action.error) toaster.show(action.error.message, 'error');
      if (action.accountId && action.keyId) view.selectKey(action.accountId, action.keyId);
      break;
    case 'rotate-key':
      if (action.accountId && action.keyId) view.rotateKey(action.accountId, action.keyId);
      break;
  }
}

/** A handler for every event, and `cancel` for a re-list still waiting. */
export function eventHandlers(): { handlers: Handlers; cancel: () => void } {
  let relist: ReturnType<typeof setTimeout> | undefined;
  function relistSoon() {
    clearTimeout(relist);
    relist = setTimeout(() => {
      if (!inventory.refreshing) void refreshAll();
    }, RELIST_DELAY_MS);
  }
  const handlers: Handlers = {
    'inventory-progress': (p) => inventory.setProgress(p),
    'accounts-changed': () => void reloadAccounts(),
    // Changes this window made are already in place; others (the tray) mean a re-list.
    'keys-changed': () => {
      if (!isEcho()) relistSoon();
    },
    'secrets-changed': () => void reveal.load(false).catch(() => undefined),
    'clipboard-cleared': (p) => reveal.cleared(p?.handle, p?.cleared ?? true),
    'tray-action': onTray,
  };
  return { handlers, cancel: () => clearTimeout(relist) };
}

/**
 * Routes the backend's events until the returned function is called. That function may come
 * before the subscriptions are in place (the window closed while they were being made).
 */
export function routeEvents(): () => void {
  const { handlers, cancel } = eventHandlers();
  let stop: (() => void) | undefined;
  let gone = false;
  onAll(handlers)
    .then((s) => (gone ? s() : (stop = s)))
    .catch(() => {
      // No event bridge (unit tests): the app works, it just hears nothing.
    });
  return () => {
    gone = true;
    stop?.();
    cancel();
  };
}
