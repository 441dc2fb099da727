// "Found on this computer": what each find's row says, from what the backend answered. The
// backend names finds by handle; nothing here ever holds a credential.
import type { Candidate, Imported } from './types';

export type FoundRow =
  | { kind: 'new' }
  | { kind: 'importing' }
  | { kind: 'present'; name: string }
  | { kind: 'added'; name: string; who: string | null }
  | { kind: 'failed'; message: string };

/** A row as listed: new, or already added as an account. */
export function listedRow(c: Candidate): FoundRow {
  return c.existing ? { kind: 'present', name: c.existing.name } : { kind: 'new' };
}

/** A row after Import. */
export function importedRow(i: Imported): FoundRow {
  switch (i.outcome) {
    case 'added':
      return { kind: 'added', name: i.saved.account.name, who: i.saved.identity?.display ?? null };
    case 'already_present':
      return { kind: 'present', name: i.account.name };
    case 'failed':
      return { kind: 'failed', message: i.error.message };
  }
}

/** The words next to a row's vendor and source. */
export function rowText(row: FoundRow): string {
  switch (row.kind) {
    case 'new':
      return '';
    case 'importing':
      return 'Testing the connection…';
    case 'present':
      return `Already added as ${row.name}`;
    case 'added':
      return `Added as ${row.name}${row.who ? ` — ${row.who}` : ''}`;
    case 'failed':
      return `Not added: ${row.message}`;
  }
}
