// What the window shows of the inventory, given where the user is (`ui`): the rows as filtered
// and sorted, the selected key, and what opening a form or a key means for them. The header,
// the keyboard and the tray all act through here, so they agree on which row is where.
import { inventory } from './inventory.svelte';
import { expiringSoon, filterRows, rowUid, sortRows, type KeyFilter } from './keys';
import { prefs } from './prefs.svelte';
import { ui } from './ui.svelte';

/** What the main area shows: the key list, or one of the hygiene views. */
export type Page = 'keys' | 'attention' | 'overview' | 'activity';

/** How often relative dates ("in 3 days") and expiry highlighting are brought up to date. */
export const CLOCK_MS = 30_000;

export class View {
  page = $state<Page>('keys');
  /** The time relative dates are read against; moves on while the app is open. */
  now = $state(Date.now());
  /** Every row in the chosen order: sorted once per listing or sort change, never per keystroke. */
  sorted = $derived(sortRows(inventory.rows, ui.sort));
  /** The rows on screen, in order: the sorted rows the filters keep (filtering keeps order). */
  visible = $derived(filterRows(this.sorted, ui.filter, this.now));
  selectedRow = $derived(ui.selected ? inventory.row(ui.selected) : undefined);
  expiringCount = $derived(
    inventory.rows.filter((r) => expiringSoon(r, prefs.value.expiring_soon_days, this.now)).length,
  );

  /** Starts the clock; the returned function stops it. */
  startClock(): () => void {
    const clock = setInterval(() => (this.now = Date.now()), CLOCK_MS);
    return () => clearInterval(clock);
  }

  /**
   * The create form, on `accountId`, else the account the list is filtered to, else the
   * selected key's. Without any account there is nothing to create in: the accounts dialog.
   */
  openCreate(accountId: string | null = null): void {
    if (inventory.accounts.length === 0) {
      ui.dialog = { kind: 'accounts' };
      return;
    }
    ui.dialog = { kind: 'create', accountId: accountId ?? ui.filter.account ?? this.selectedRow?.accountId ?? null };
  }

  /** The key list filtered to `range` (a bar or mark picked in the overview). */
  showRange(filter: Partial<KeyFilter>): void {
    ui.clearFilters();
    Object.assign(ui.filter, filter);
    this.page = 'keys';
  }

  /** Selects a key and scrolls to it, clearing filters that would hide it. */
  selectKey(accountId: string, keyId: string): void {
    this.page = 'keys';
    const uid = rowUid(accountId, keyId);
    if (!this.visible.some((r) => r.uid === uid)) ui.clearFilters();
    ui.select(uid, true);
  }

  /** Export… the keys in view: all of them, or those the filters (an account, a search) leave. */
  openExport(): void {
    const rows = this.visible;
    const accounts = rows.map((r) => r.accountId).filter((id, i, all) => all.indexOf(id) === i).length;
    const keys = rows.length === 1 ? '1 key' : `${rows.length} keys`;
    const where = accounts === 1 ? rows[0]?.accountName ?? '' : `${accounts} accounts`;
    ui.dialog = {
      kind: 'export',
      keys: rows.map((r) => ({ accountId: r.accountId, keyId: r.record.id })),
      scope: `${ui.filtered ? 'The keys in view' : 'Every key'}: ${keys} of ${where}`,
    };
  }

  /** Selects a key and opens its rotate dialog (the tray's "Rotate…"). */
  rotateKey(accountId: string, keyId: string): void {
    this.selectKey(accountId, keyId);
    const row = this.selectedRow;
    if (row && row.uid === rowUid(accountId, keyId)) ui.dialog = { kind: 'rotate', row };
  }
}

export const view = new View();
