// Key hygiene as the window shows it: a reason in words ("expires in 3 days", "240 days old",
// "unused since May"), the overview's counts (keys per vendor and status, ages, expiries in the
// next 90 days) and what the activity view calls each audited action. Pure functions of the
// rows and a clock, so tests pin the time.
import { humanize } from './format';
import type { Badge, KeyRange, KeyRow } from './keys';
import type { AuditAction, AuditEntry, Reason, VendorId } from './types';

export const DAY = 86_400_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "May" within the current year, else "May 2025". */
export function monthOf(ms: number, now: number): string {
  const d = new Date(ms);
  const name = LONG_MONTHS[d.getMonth()];
  return d.getFullYear() === new Date(now).getFullYear() ? name : `${name} ${d.getFullYear()}`;
}

/** "2 days", "1 day". */
function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/** One reason a key needs attention, as the user reads it. */
export function describeReason(r: Reason, now: number): string {
  switch (r.kind) {
    case 'expired': {
      const ago = Math.floor((now - Date.parse(r.at)) / DAY);
      return ago <= 0 ? 'expired today' : `expired ${days(ago)} ago`;
    }
    case 'expiring':
      if (r.days_left <= 0) return 'expires today';
      if (r.days_left === 1) return 'expires tomorrow';
      return `expires in ${days(r.days_left)}`;
    case 'old':
      return `${days(r.age_days)} old`;
    case 'unused':
      return r.last_used_at
        ? `unused since ${monthOf(Date.parse(r.last_used_at), now)}`
        : `never used in its ${days(r.idle_days)}`;
  }
}

/** How urgent a reason is, for its colour: expired and expiring are `danger`/`warn`. */
export function reasonTone(r: Reason): 'danger' | 'warn' | 'info' {
  if (r.kind === 'expired') return 'danger';
  if (r.kind === 'expiring') return 'warn';
  return 'info';
}

/** The statuses the overview counts, in the order its bars stack. */
export const OVERVIEW_STATUSES: Badge[] = ['active', 'disabled', 'inactive', 'expired'];

export interface VendorBar {
  vendor: VendorId;
  vendorName: string;
  total: number;
  counts: { status: Badge; count: number }[];
}

/** A key's status for the overview: its first badge (expired wins over the vendor's status). */
function mainStatus(row: KeyRow): Badge {
  const b = row.badges[0];
  return OVERVIEW_STATUSES.includes(b) ? b : 'inactive';
}

/** Keys per vendor, each split by status; vendors without keys are left out. */
export function vendorBars(rows: readonly KeyRow[]): VendorBar[] {
  const bars = new Map<VendorId, VendorBar>();
  for (const row of rows) {
    let bar = bars.get(row.vendor);
    if (!bar) {
      bar = {
        vendor: row.vendor,
        vendorName: row.vendorName,
        total: 0,
        counts: OVERVIEW_STATUSES.map((status) => ({ status, count: 0 })),
      };
      bars.set(row.vendor, bar);
    }
    bar.total++;
    const status = mainStatus(row);
    const slot = bar.counts.find((c) => c.status === status);
    if (slot) slot.count++;
  }
  return [...bars.values()];
}

export interface AgeBucket {
  label: string;
  /** Age in days, `[fromDays, toDays)`; `toDays` null: and older. */
  fromDays: number;
  toDays: number | null;
  count: number;
}

const AGE_EDGES = [0, 30, 90, 180, 365, 730];

/** How many keys are how old, in buckets (under 30 days … 2 years and more). */
export function ageHistogram(rows: readonly KeyRow[], now: number): AgeBucket[] {
  const buckets: AgeBucket[] = AGE_EDGES.map((from, i) => {
    const to = AGE_EDGES[i + 1] ?? null;
    const label = to === null ? `${from / 365}y+` : `${from}–${to}d`;
    return { label, fromDays: from, toDays: to, count: 0 };
  });
  for (const row of rows) {
    if (row.createdMs === null) continue;
    const age = (now - row.createdMs) / DAY;
    const bucket = buckets.find((b) => age >= b.fromDays && (b.toDays === null || age < b.toDays));
    if (bucket) bucket.count++;
  }
  return buckets;
}

/** The created-time range of keys in an age bucket, for the key list's filter. */
export function ageRange(bucket: AgeBucket, now: number): KeyRange {
  return {
    field: 'created',
    fromMs: bucket.toDays === null ? -8.64e15 : now - bucket.toDays * DAY,
    toMs: now - bucket.fromDays * DAY + 1,
    label: `Age ${bucket.label}`,
  };
}

export interface ExpiryMark {
  row: KeyRow;
  /** Whole days from now, 0 … `horizon`. */
  day: number;
  /** Its place on the stack of marks of the same day, from 0. */
  level: number;
}

/** Keys expiring after now and within `horizon` days, soonest first. */
export function expiryMarks(rows: readonly KeyRow[], now: number, horizon = 90): ExpiryMark[] {
  const perDay: Record<number, number> = {};
  return rows
    .filter((r) => r.expiresMs !== null && r.expiresMs > now && r.expiresMs <= now + horizon * DAY)
    .sort((a, b) => (a.expiresMs as number) - (b.expiresMs as number))
    .map((row) => {
      const day = Math.floor(((row.expiresMs as number) - now) / DAY);
      const level = perDay[day] ?? 0;
      perDay[day] = level + 1;
      return { row, day, level };
    });
}

/** The ISO time `days` days after `now`. */
export function daysLater(days: number, now: number): string {
  return new Date(now + days * DAY).toISOString();
}

/** The expiry range of one day on the timeline, for the key list's filter. */
export function expiryDayRange(day: number, now: number): KeyRange {
  const from = now + day * DAY;
  const date = new Date(from);
  return {
    field: 'expires',
    fromMs: from,
    toMs: from + DAY,
    label: `Expires ${MONTHS[date.getMonth()]} ${date.getDate()}`,
  };
}

// Every action has its label: a new AuditAction fails the type check until it has one.
const ACTION_LABELS: Record<AuditAction, string> = {
  key_create: 'Created',
  key_update: 'Changed',
  key_lock: 'Locked',
  key_unlock: 'Unlocked',
  key_disable: 'Disabled',
  key_enable: 'Enabled',
  key_delete: 'Deleted',
  owner_delete: 'Deleted owner',
  secret_reveal: 'Revealed secret',
  secret_copy: 'Copied secret',
  secret_save: 'Saved secret',
  config_append: 'Added to OCI config',
  secret_dismiss: 'Dismissed secret',
  account_add: 'Added account',
  account_update: 'Changed account',
  account_remove: 'Removed account',
  rotation_start: 'Rotation started',
  rotation_step: 'Rotation step',
  rotation_done: 'Rotated',
  rotation_undo: 'Rotation undone',
  inventory_export: 'Exported inventory',
};

/** Every action the audit log knows, in the order the activity filter lists them (the labels'). */
export const AUDIT_ACTIONS = Object.keys(ACTION_LABELS) as AuditAction[];

export function actionLabel(action: AuditAction): string {
  return ACTION_LABELS[action] ?? humanize(action);
}

/** What an entry was about: the key's name (and id), else the account. */
export function entrySubject(e: AuditEntry): string {
  if (e.key_name && e.key_id && e.key_name !== e.key_id) return `${e.key_name} (${e.key_id})`;
  return e.key_name ?? e.key_id ?? e.account_name ?? e.account_id ?? '—';
}

/** A `<input type="date">` value as the start (or the end) of that local day, ISO. */
export function dayBound(value: string, end: boolean): string | null {
  if (!value) return null;
  const [y, m, d] = value.split('-').map(Number);
  if (!y || !m || !d) return null;
  const ms = end ? new Date(y, m - 1, d, 23, 59, 59, 999).getTime() : new Date(y, m - 1, d).getTime();
  return new Date(ms).toISOString();
}
