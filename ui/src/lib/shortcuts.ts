// The app's keyboard shortcuts, as a pure mapping so they are tested without a window.

export type Shortcut =
  | 'search'
  | 'new-key'
  | 'refresh'
  | 'delete'
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'first'
  | 'last';

/** The shortcuts that move the selection through the list. */
export type Move = Extract<Shortcut, 'up' | 'down' | 'page-up' | 'page-down' | 'first' | 'last'>;

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * The shortcut `e` means, or null. `typing` = focus is in a text field, where plain keys
 * (`/`, Delete, arrows) belong to the field; `dialogOpen` = list shortcuts are off.
 */
export function shortcutFor(e: KeyLike, typing: boolean, dialogOpen: boolean): Shortcut | null {
  const mod = e.ctrlKey || e.metaKey;
  if (e.altKey) return null;
  if (mod && !e.shiftKey) {
    const k = e.key.toLowerCase();
    // Refresh stays on in dialogs too: the webview's own reload must never run.
    if (k === 'r') return 'refresh';
    if (dialogOpen) return null;
    if (k === 'k') return 'search';
    if (k === 'n') return 'new-key';
    return null;
  }
  if (e.key === 'F5' && !mod) return 'refresh';
  if (dialogOpen || typing || mod) return null;
  switch (e.key) {
    case '/':
      return 'search';
    case 'Delete':
      return 'delete';
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    case 'PageUp':
      return 'page-up';
    case 'PageDown':
      return 'page-down';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    default:
      return null;
  }
}

/** Whether focus is somewhere the user types text. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  const field = el.closest('input, textarea, select, [contenteditable="true"]');
  if (!field) return false;
  const type = (field as HTMLInputElement).type;
  return !(field.tagName === 'INPUT' && ['checkbox', 'radio', 'button', 'submit'].includes(type));
}

/**
 * The index a move selects among `count` rows, from the selected one at `at` (-1: none, and
 * then any move starts at the top), `page` rows to a page; null when there are no rows.
 */
export function moveTo(move: Move, at: number, count: number, page: number): number | null {
  if (count === 0) return null;
  let next: number;
  if (move === 'first') next = 0;
  else if (move === 'last') next = count - 1;
  else if (at < 0) next = 0;
  else next = at + { up: -1, down: 1, 'page-up': -page, 'page-down': page }[move];
  return Math.min(count - 1, Math.max(0, next));
}
