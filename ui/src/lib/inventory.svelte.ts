// What the app knows about vendors, accounts and their keys, kept in place as actions succeed so
// the table never reloads wholesale after an edit. Rows are immutable snapshots ($state.raw):
// 10,000 keys must not become 10,000 deep proxies.
import * as api from './api';
import { rowUid, toRow, type KeyRow } from './keys';
import type {
  Account,
  AccountListing,
  Capabilities,
  InventoryProgress,
  KeyRecord,
  PublicError,
  VendorId,
  VendorInfo,
} from './types';

export type ListingStatus = 'idle' | 'loading' | 'ok' | 'error';

export interface AccountState {
  status: ListingStatus;
  error: PublicError | null;
  count: number;
  /** What the vendor said besides the keys (e.g. only part of the account could be listed). */
  notices?: string[];
}

/** How far a refresh is: accounts listed so far, of all. */
export type Progress = Pick<InventoryProgress, 'done' | 'total'>;

/** One account's listing as the inventory takes it (from the backend, or a failed call). */
export interface Listing {
  accountId: string;
  keys?: KeyRecord[] | null;
  /** Names these keys; sent back on the next refresh (see `unchanged`). */
  revision?: string | null;
  /** The keys are those held under the revision sent: nothing to rebuild. */
  unchanged?: boolean;
  error?: PublicError | null;
  notices?: string[];
}

const IDLE: AccountState = { status: 'idle', error: null, count: 0 };

export class Inventory {
  vendors = $state.raw<VendorInfo[]>([]);
  accounts = $state.raw<Account[]>([]);
  /** Per account: loading, loaded (with its key count) or failed (with the error). */
  states = $state.raw<Record<string, AccountState>>({});
  rows = $state.raw<KeyRow[]>([]);
  progress = $state.raw<Progress | null>(null);
  refreshing = $state(false);

  // Deliberately not reactive: `rows` is republished from it after each change.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #byAccount = new Map<string, KeyRow[]>();
  /** The backend's revision of each account's rows as held, while they are exactly as listed. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #revisions = new Map<string, string>();
  #refreshes = 0;

  /** Forgets everything (a fresh start, and between tests). */
  reset(): void {
    this.#byAccount.clear();
    this.#revisions.clear();
    this.#refreshes++;
    this.vendors = [];
    this.accounts = [];
    this.states = {};
    this.rows = [];
    this.progress = null;
    this.refreshing = false;
  }

  vendor(id: VendorId): VendorInfo | undefined {
    return this.vendors.find((v) => v.vendor === id);
  }

  vendorName(id: VendorId): string {
    return this.vendor(id)?.name ?? id;
  }

  account(id: string): Account | undefined {
    return this.accounts.find((a) => a.id === id);
  }

  /** The capabilities of an account's vendor. */
  caps(accountId: string): Capabilities | undefined {
    const a = this.account(accountId);
    return a ? this.vendor(a.vendor)?.capabilities : undefined;
  }

  state(accountId: string): AccountState {
    return this.states[accountId] ?? IDLE;
  }

  row(uid: string): KeyRow | undefined {
    return this.rows.find((r) => r.uid === uid);
  }

  /** Accounts whose last listing failed (still so while a retry runs). */
  failed(): Account[] {
    return this.accounts.filter((a) => this.state(a.id).error !== null);
  }

  async loadVendors(): Promise<void> {
    this.vendors = await api.vendors();
  }

  /** Reloads the account list; keys of accounts that are gone are dropped. */
  async loadAccounts(): Promise<void> {
    this.setAccounts(await api.accountsList());
  }

  setAccounts(accounts: Account[]): void {
    this.accounts = accounts;
    const ids = accounts.map((a) => a.id);
    for (const id of [...this.#byAccount.keys()]) if (!ids.includes(id)) this.#byAccount.delete(id);
    for (const id of [...this.#revisions.keys()]) if (!ids.includes(id)) this.#revisions.delete(id);
    // Names or sandbox marks may have changed: rebuild the rows from their records.
    for (const [id, rows] of this.#byAccount) {
      this.#byAccount.set(
        id,
        rows.map((r) => this.#row(r.record)),
      );
    }
    const states: Record<string, AccountState> = {};
    for (const a of accounts) states[a.id] = this.states[a.id] ?? IDLE;
    this.states = states;
    this.#publish();
  }

  /**
   * Lists every account concurrently (progress arrives as `inventory-progress` events). Accounts
   * whose keys did not change come back without them: their rows, the sorted list and the
   * table stay as they are, so a refresh that finds nothing new costs next to nothing.
   */
  async refresh(): Promise<void> {
    const mine = ++this.#refreshes;
    this.refreshing = true;
    this.progress = { done: 0, total: this.accounts.length };
    this.#mark(this.accounts.map((a) => a.id), 'loading');
    try {
      const known: Record<string, string> = {};
      for (const [id, revision] of this.#revisions) if (this.#byAccount.has(id)) known[id] = revision;
      const listings = await api.keysList(known);
      if (mine !== this.#refreshes) return;
      let changed = false;
      for (const l of listings) changed = this.#apply(l) || changed;
      if (changed) this.#publish();
    } catch (e) {
      if (mine !== this.#refreshes) return;
      const error = api.toPublicError(e);
      const states = { ...this.states };
      for (const a of this.accounts)
        if (states[a.id]?.status === 'loading') states[a.id] = { status: 'error', error, count: 0 };
      this.states = states;
      throw e;
    } finally {
      if (mine === this.#refreshes) {
        this.refreshing = false;
        this.progress = null;
      }
    }
  }

  /** Lists one account again (the inline Retry). */
  async retry(accountId: string): Promise<void> {
    this.#mark([accountId], 'loading');
    try {
      this.applyListing(await api.keysListAccount(accountId));
    } catch (e) {
      this.applyListing({ accountId, error: api.toPublicError(e) });
    }
  }

  setProgress(p: Progress): void {
    if (this.refreshing) this.progress = { done: p.done, total: p.total };
  }

  applyListing(listing: Listing | AccountListing): void {
    if (this.#apply(listing)) this.#publish();
  }

  /** Takes one account's listing; true when its rows changed (and `rows` needs publishing). */
  #apply(listing: Listing | AccountListing): boolean {
    const id = listing.accountId;
    const notices = listing.notices ?? [];
    if (listing.error) {
      // Keys listed before stay visible (marked by the account's error), not silently dropped.
      this.states = {
        ...this.states,
        [id]: { status: 'error', error: listing.error, count: this.#byAccount.get(id)?.length ?? 0 },
      };
      return false;
    }
    const held = this.#byAccount.get(id);
    if (listing.unchanged && held) {
      this.states = { ...this.states, [id]: { status: 'ok', error: null, count: held.length, notices } };
      // The same records, but a key may have expired since its row was made.
      const now = Date.now();
      if (!held.some((r) => r.expiresMs !== null && r.expiresMs <= now && !r.badges.includes('expired'))) return false;
      this.#byAccount.set(
        id,
        held.map((r) => this.#row(r.record)),
      );
      return true;
    }
    const keys = listing.keys ?? [];
    this.#byAccount.set(
      id,
      keys.map((k) => this.#row(k)),
    );
    if (listing.revision && listing.keys) this.#revisions.set(id, listing.revision);
    else this.#revisions.delete(id);
    this.states = { ...this.states, [id]: { status: 'ok', error: null, count: keys.length, notices } };
    return true;
  }

  /** A created or changed key: replaced where it is, or added. */
  upsert(record: KeyRecord): void {
    const rows = [...(this.#byAccount.get(record.account) ?? [])];
    const uid = rowUid(record.account, record.id);
    const at = rows.findIndex((r) => r.uid === uid);
    const row = this.#row(record);
    if (at >= 0) rows[at] = row;
    else rows.push(row);
    this.#setAccountRows(record.account, rows);
  }

  remove(accountId: string, keyId: string): void {
    const uid = rowUid(accountId, keyId);
    const rows = (this.#byAccount.get(accountId) ?? []).filter((r) => r.uid !== uid);
    this.#setAccountRows(accountId, rows);
  }

  /** Keys of one owner in an account (for per-owner quotas). */
  ownerKeyCount(accountId: string, ownerId: string): number {
    return (this.#byAccount.get(accountId) ?? []).filter((r) => r.record.owner?.id === ownerId).length;
  }

  #setAccountRows(accountId: string, rows: KeyRow[]): void {
    this.#byAccount.set(accountId, rows);
    // Changed here, not listed: the next refresh asks for the account's keys in full.
    this.#revisions.delete(accountId);
    const prev = this.state(accountId);
    this.states = { ...this.states, [accountId]: { ...prev, count: rows.length } };
    this.#publish();
  }

  #row(record: KeyRecord): KeyRow {
    return toRow(record, this.account(record.account), this.vendorName(record.vendor), Date.now());
  }

  #mark(ids: string[], status: ListingStatus): void {
    const states = { ...this.states };
    // The last error stays shown until the new listing replaces it.
    for (const id of ids) states[id] = { ...(states[id] ?? IDLE), status };
    this.states = states;
  }

  #publish(): void {
    // Account order, then the vendor's own order: stable before any sort is applied.
    const out: KeyRow[] = [];
    for (const a of this.accounts) {
      const rows = this.#byAccount.get(a.id);
      if (rows) for (const r of rows) out.push(r);
    }
    this.rows = out;
  }
}

export const inventory = new Inventory();
