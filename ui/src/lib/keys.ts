// The key list's rows and their filtering. Rows will come from the core's KeyRecord.

export interface KeyRow {
  /** The vendor's own key id (access key, fingerprint, key id). */
  id: string;
  name: string;
  vendor: string;
  account: string;
}

/** Rows whose name, id, vendor or account contains every word of `query` (case-insensitive). */
export function filterKeys(rows: readonly KeyRow[], query: string): KeyRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const haystack = [row.name, row.id, row.vendor, row.account].join(' ').toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}
