// How dates, durations and secrets are written in the UI. `now` is a parameter so tests pin it.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: [number, string][] = [
  [365 * DAY, 'year'],
  [30 * DAY, 'month'],
  [7 * DAY, 'week'],
  [DAY, 'day'],
  [HOUR, 'hour'],
  [MINUTE, 'minute'],
];

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Milliseconds since the epoch, or null for a missing or unreadable date. */
export function toMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * When something happened ("2 hours ago", "just now"). A time slightly ahead of ours — the
 * vendor's clock, or a last use stamped while we rendered — reads "just now", never "in …".
 */
export function since(iso: string | null | undefined, now: number = Date.now()): string {
  const ms = toMs(iso);
  if (ms === null) return '—';
  return ms >= now ? 'just now' : relative(iso, now);
}

/** "in 3 days", "2 hours ago", "just now"; rounds down to the largest whole unit. */
export function relative(iso: string | null | undefined, now: number = Date.now()): string {
  const ms = toMs(iso);
  if (ms === null) return '—';
  const diff = ms - now;
  const abs = Math.abs(diff);
  if (abs < MINUTE) return diff >= 0 ? 'in under a minute' : 'just now';
  for (const [size, unit] of UNITS) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      return diff > 0 ? `in ${plural(n, unit)}` : `${plural(n, unit)} ago`;
    }
  }
  return 'just now';
}

/** Whole days until `iso` (negative once past), or null. */
export function daysUntil(iso: string | null | undefined, now: number = Date.now()): number | null {
  const ms = toMs(iso);
  return ms === null ? null : (ms - now) / DAY;
}

/** Local date and time, e.g. "2026-03-04 14:05", stable across locales for a dense table. */
export function absolute(iso: string | null | undefined): string {
  const ms = toMs(iso);
  if (ms === null) return '—';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A secret shown as dots with its last characters, e.g. "••••3f9a"; never more than 4 shown. */
export function mask(secret: string, visible = 4): string {
  const shown = secret.length > visible * 2 ? secret.slice(-visible) : '';
  return '••••' + shown;
}

/** "45 s", "2 min 5 s". */
export function seconds(total: number): string {
  const s = Math.max(0, Math.round(total));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

/** "1 key", "10,000 keys". */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

const ACRONYMS = new Set(['crn', 'iam', 'id', 'ip', 'url', 'api', 'oci']);

/** Lower-case words joined by underscores become a label: "service_account" → "Service account". */
export function humanize(value: string): string {
  const words = value
    .replace(/[_-]+/g, ' ')
    .trim()
    .split(/\s+/)
    .map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
