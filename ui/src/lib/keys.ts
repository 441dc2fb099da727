// The key table's rows, built once per listing with everything filtering and sorting need
// precomputed, so a search over 10,000 keys is one pass of `includes` per row.
import { toMs } from './format';
import type { Account, Capabilities, KeyRecord, OwnerKind, VendorId } from './types';

export type Badge = 'active' | 'locked' | 'disabled' | 'expired' | 'inactive' | 'creating' | 'deleting';

/** The badges a status filter can pick. */
export const STATUS_FILTERS: Badge[] = ['active', 'locked', 'disabled', 'expired', 'inactive'];

/** The owner kinds an owner filter can pick, with what each is called (any vendor's). */
export const OWNER_KIND_FILTERS: { kind: OwnerKind; label: string }[] = [
  { kind: 'user', label: 'User' },
  { kind: 'service_id', label: 'Service ID' },
  { kind: 'service_account', label: 'Service account' },
  { kind: 'application', label: 'Application' },
  { kind: 'other', label: 'Other' },
];

export interface KeyRow {
  /** Unique across accounts: the account id and the vendor's key id. */
  uid: string;
  record: KeyRecord;
  accountId: string;
  accountName: string;
  sandbox: boolean;
  vendor: VendorId;
  vendorName: string;
  name: string;
  ownerLabel: string;
  /** What the owner is when not a user, e.g. "Service account"; '' otherwise. */
  ownerKind: string;
  createdMs: number | null;
  expiresMs: number | null;
  lastUsedMs: number | null;
  badges: Badge[];
  /** Lower-case name, id, owner and description, for search. */
  haystack: string;
}

export function rowUid(accountId: string, keyId: string): string {
  return `${accountId}\u0000${keyId}`;
}

/** A key's label: its name, else its description, else its id (as core's display_name). */
export function displayName(record: KeyRecord): string {
  return record.name?.trim() || record.description?.trim() || record.id;
}

export function ownerLabel(record: KeyRecord): string {
  const o = record.owner;
  if (!o) return '';
  return o.name?.trim() || o.id;
}

/** The owner's kind as the filter names it, when it is worth saying (not a user, nor a kind the
 *  vendor's own owner name already says). */
export function ownerKindLabel(record: KeyRecord): string {
  const kind = record.owner?.kind;
  if (!kind || kind === 'user' || kind === 'other') return '';
  return OWNER_KIND_FILTERS.find((k) => k.kind === kind)?.label ?? '';
}

/** Status badges: the vendor's status, plus `locked`, plus `expired` once the expiry passed. */
export function badgesOf(record: KeyRecord, now: number): Badge[] {
  const out: Badge[] = [];
  const expires = toMs(record.expires_at);
  const expired = record.status === 'expired' || (expires !== null && expires <= now);
  if (expired) out.push('expired');
  else out.push(record.status);
  if (record.locked) out.push('locked');
  return out;
}

export function toRow(record: KeyRecord, account: Account | undefined, vendorName: string, now: number): KeyRow {
  const name = displayName(record);
  const owner = ownerLabel(record);
  const ownerKind = ownerKindLabel(record);
  return {
    uid: rowUid(record.account, record.id),
    record,
    accountId: record.account,
    accountName: account?.name ?? record.account,
    sandbox: account?.sandbox ?? false,
    vendor: record.vendor,
    vendorName,
    name,
    ownerLabel: owner,
    ownerKind,
    createdMs: toMs(record.created_at),
    expiresMs: toMs(record.expires_at),
    lastUsedMs: toMs(record.last_used_at),
    badges: badgesOf(record, now),
    haystack: [name, record.id, owner, ownerKind, record.owner?.id ?? '', record.description ?? '']
      .join('\n')
      .toLowerCase(),
  };
}

export interface KeyFilter {
  query: string;
  vendor: VendorId | null;
  account: string | null;
  status: Badge | null;
  /** Only keys whose owner is of this kind (a user, a service ID, an application, …). */
  ownerKind: OwnerKind | null;
  /** Only keys expiring within this many days (and not yet expired). */
  expiringWithinDays: number | null;
  /** Only keys created or expiring in a span (a bar or mark picked in the overview). */
  range: KeyRange | null;
}

/** A span of creation or expiry times, `[fromMs, toMs)`, with what the filter bar calls it. */
export interface KeyRange {
  field: 'created' | 'expires';
  fromMs: number;
  toMs: number;
  label: string;
}

export const NO_FILTER: KeyFilter = {
  query: '',
  vendor: null,
  account: null,
  status: null,
  ownerKind: null,
  expiringWithinDays: null,
  range: null,
};

const DAY = 86_400_000;

/** Rows matching every filter; the query needs every word in the name, id, owner or description. */
export function filterRows(rows: readonly KeyRow[], f: KeyFilter, now: number): KeyRow[] {
  // The filter is reactive state (a proxy whose every read is tracked): read it once here
  // rather than once per row.
  const { vendor, account, status, ownerKind } = f;
  const words = f.query.toLowerCase().split(/\s+/).filter(Boolean);
  const until = f.expiringWithinDays === null ? null : now + f.expiringWithinDays * DAY;
  const range = f.range === null ? null : { created: f.range.field === 'created', from: f.range.fromMs, to: f.range.toMs };
  return rows.filter((row) => {
    if (vendor !== null && row.vendor !== vendor) return false;
    if (account !== null && row.accountId !== account) return false;
    if (status !== null && !row.badges.includes(status)) return false;
    if (ownerKind !== null && row.record.owner?.kind !== ownerKind) return false;
    if (until !== null && (row.expiresMs === null || row.expiresMs <= now || row.expiresMs > until))
      return false;
    if (range !== null) {
      const ms = range.created ? row.createdMs : row.expiresMs;
      if (ms === null || ms < range.from || ms >= range.to) return false;
    }
    for (const w of words) if (!row.haystack.includes(w)) return false;
    return true;
  });
}

export type SortColumn =
  | 'vendor'
  | 'account'
  | 'name'
  | 'id'
  | 'owner'
  | 'created'
  | 'expires'
  | 'lastUsed'
  | 'status';

export interface Sort {
  column: SortColumn;
  descending: boolean;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

type Key = (r: KeyRow) => string | number | null;

const SORT_KEYS: Record<SortColumn, Key> = {
  vendor: (r) => r.vendorName,
  account: (r) => r.accountName,
  name: (r) => r.name,
  id: (r) => r.record.id,
  owner: (r) => r.ownerLabel,
  created: (r) => r.createdMs,
  expires: (r) => r.expiresMs,
  lastUsed: (r) => r.lastUsedMs,
  status: (r) => r.badges.join(' '),
};

/** Sorted copy; missing values go last in either direction, ties keep name order. */
export function sortRows(rows: readonly KeyRow[], sort: Sort): KeyRow[] {
  const key = SORT_KEYS[sort.column];
  const dir = sort.descending ? -1 : 1;
  const decorated = rows.map((row) => ({ row, k: key(row) }));
  decorated.sort((a, b) => {
    const x = a.k;
    const y = b.k;
    const xMissing = x === null || x === '';
    const yMissing = y === null || y === '';
    if (xMissing || yMissing) {
      if (xMissing && yMissing) return collator.compare(a.row.name, b.row.name);
      return xMissing ? 1 : -1;
    }
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return c !== 0 ? c * dir : collator.compare(a.row.name, b.row.name);
  });
  return decorated.map((d) => d.row);
}

/** Next sort after a click on `column`: same column flips, a new one starts ascending. */
export function toggleSort(current: Sort, column: SortColumn): Sort {
  return current.column === column
    ? { column, descending: !current.descending }
    : { column, descending: false };
}

/** Whether a key expires within `days` (and has not expired yet). */
export function expiringSoon(row: KeyRow, days: number, now: number): boolean {
  return row.expiresMs !== null && row.expiresMs > now && row.expiresMs <= now + days * DAY;
}

/** Whether Keyrack can make a replacement for the key (core's `attention::rotatable`): the
 *  vendor's create offers the key's owner kind, or keys have no owner to match. */
export function rotatable(row: KeyRow, caps: Capabilities | undefined): boolean {
  if (!caps) return false;
  const owner = row.record.owner;
  return !caps.owner || !owner || caps.owner.kinds.includes(owner.kind);
}
