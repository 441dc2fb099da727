// What the app's shortcuts do in the window. Which key means which shortcut is `shortcuts.ts`;
// this module carries them out on the list, the search field and the dialogs.
import { refreshAll } from './actions';
import { inventory } from './inventory.svelte';
import { reveal } from './reveal.svelte';
import { isTyping, moveTo, shortcutFor, type Move } from './shortcuts';
import { ui } from './ui.svelte';
import { view } from './view.svelte';

/** The key table's row height in pixels (KeyTable's ROW_HEIGHT). */
const ROW_PX = 34;

function table(): HTMLElement | null {
  return document.getElementById('key-table');
}

/** Rows a Page Up / Page Down moves: what the table shows, less two kept in sight. */
function pageRows(): number {
  return Math.max(1, Math.floor((table()?.clientHeight ?? 340) / ROW_PX) - 2);
}

function move(m: Move): void {
  const rows = view.visible;
  const at = ui.selected ? rows.findIndex((r) => r.uid === ui.selected) : -1;
  const next = moveTo(m, at, rows.length, pageRows());
  if (next !== null) ui.select(rows[next].uid, true);
}

/** Focus from the search into the list, which selects its first row when none is. */
export function focusTable(): void {
  table()?.focus();
  if (!ui.selected && view.visible.length > 0) ui.select(view.visible[0].uid, true);
}

/** Whether something covers the list (a dialog, the reveal panel): its shortcuts are off. */
function covered(): boolean {
  return ui.dialog !== null || reveal.open || !!document.querySelector('[aria-modal="true"]');
}

/** The window's keydown: a shortcut is carried out and the key goes no further. */
export function onShortcutKey(event: KeyboardEvent, search: HTMLInputElement | undefined): void {
  const shortcut = shortcutFor(event, isTyping(event.target), covered());
  if (!shortcut) return;
  event.preventDefault();
  switch (shortcut) {
    case 'search':
      search?.focus();
      search?.select();
      break;
    case 'new-key':
      view.openCreate();
      break;
    case 'refresh':
      if (!inventory.refreshing) void refreshAll();
      break;
    case 'delete': {
      const row = view.selectedRow;
      if (row && inventory.caps(row.accountId)?.delete) ui.dialog = { kind: 'delete', row };
      break;
    }
    default:
      move(shortcut);
  }
}
