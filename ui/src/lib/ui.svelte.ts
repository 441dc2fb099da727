// Where the user is: filters, sort, the selected key and the open dialog.
import { NO_FILTER, type KeyFilter, type KeyRow, type Sort } from './keys';
import type { KeyRef } from './types';

export type Dialog =
  | { kind: 'create'; accountId: string | null }
  | { kind: 'edit'; uid: string }
  // The row itself: the dialog outlives the key (it may offer to delete its owner next).
  | { kind: 'delete'; row: KeyRow }
  | { kind: 'rotate'; row: KeyRow }
  // "Rotate selected": the rows picked in Needs attention.
  | { kind: 'rotate-many'; rows: KeyRow[] }
  // The keys in view when Export… was clicked, and how to name them.
  | { kind: 'export'; keys: KeyRef[]; scope: string }
  | { kind: 'accounts' }
  | { kind: 'settings' };

export class Ui {
  filter = $state<KeyFilter>({ ...NO_FILTER });
  sort = $state<Sort>({ column: 'name', descending: false });
  selected = $state<string | null>(null);
  dialog = $state<Dialog | null>(null);
  /** Bumped to ask the table to scroll the selection into view. */
  reveals = $state(0);

  reset(): void {
    this.filter = { ...NO_FILTER };
    this.sort = { column: 'name', descending: false };
    this.selected = null;
    this.dialog = null;
  }

  select(uid: string | null, scroll = false): void {
    this.selected = uid;
    if (scroll) this.reveals++;
  }

  clearFilters(): void {
    this.filter = { ...NO_FILTER };
  }

  get filtered(): boolean {
    const f = this.filter;
    return (
      f.query.trim() !== '' ||
      f.vendor !== null ||
      f.account !== null ||
      f.status !== null ||
      f.ownerKind !== null ||
      f.expiringWithinDays !== null ||
      f.range !== null
    );
  }
}

export const ui = new Ui();
