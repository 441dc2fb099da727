// An in-memory stand-in for the Tauri backend: answers the IPC commands of the contract, records
// every call, and lets a test make any command fail. Events are delivered through `emit`.
import { DEFAULT_PREFERENCES } from '../lib/prefs.svelte';
import type {
  Account,
  AccountListing,
  Attention,
  AuditEntry,
  AuditFilter,
  KeyNote,
  KeyRecord,
  PendingSecret,
  Preferences,
  PublicError,
  VendorInfo,
} from '../lib/types';
import { VENDORS } from './fixtures';

type Handler = (args: Record<string, unknown>) => unknown;
type Listener = (event: { payload: unknown }) => void;

export interface Backend {
  vendors: VendorInfo[];
  accounts: Account[];
  keys: Record<string, KeyRecord[]>;
  /** Accounts whose listing fails, with the error. */
  failing: Record<string, PublicError>;
  /** What a listing says besides the keys, by account. */
  notices: Record<string, string[]>;
  pending: PendingSecret[];
  secrets: Record<string, string>;
  prefs: Preferences;
  /** What `attention_list` answers; a key note takes its key out. */
  attention: Attention[];
  notes: KeyNote[];
  /** The audit log, oldest first (as appended). */
  audit: AuditEntry[];
  /** What the user picks in the save dialog the backend opens; `null`: they cancel. */
  picked: string | null;
  calls: { cmd: string; args: Record<string, unknown> }[];
  /** One-shot failures by command name. */
  failures: Record<string, PublicError[]>;
  /** Extra or replaced handlers. */
  handlers: Record<string, Handler>;
  listeners: Record<string, Listener[]>;
  invoke: (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;
  listen: (event: string, cb: Listener) => Promise<() => void>;
  emit: (event: string, payload: unknown) => void;
  called: (cmd: string) => Record<string, unknown>[];
}

export function backend(init: Partial<Pick<Backend, 'accounts' | 'keys' | 'failing' | 'notices' | 'pending' | 'secrets'>> = {}): Backend {
  const b: Backend = {
    vendors: VENDORS,
    accounts: init.accounts ?? [],
    keys: init.keys ?? {},
    failing: init.failing ?? {},
    notices: init.notices ?? {},
    pending: init.pending ?? [],
    secrets: init.secrets ?? {},
    prefs: { ...DEFAULT_PREFERENCES, expiring_soon_days: 7 },
    attention: [],
    notes: [],
    audit: [],
    picked: '/home/u/saved',
    calls: [],
    failures: {},
    handlers: {},
    listeners: {},
    invoke: async () => undefined,
    listen: async () => () => undefined,
    emit: () => undefined,
    called: (cmd) => b.calls.filter((c) => c.cmd === cmd).map((c) => c.args),
  };

  // As the backend: a listing's revision names its keys; one the window already holds under
  // the revision it sent comes back unchanged, without them.
  const listing = (accountId: string, known?: string): AccountListing => {
    const a = b.accounts.find((x) => x.id === accountId);
    const failure = b.failing[accountId];
    const keys = b.keys[accountId] ?? [];
    const revision = failure ? null : JSON.stringify(keys);
    const unchanged = revision !== null && revision === known;
    return {
      accountId,
      accountName: a?.name ?? accountId,
      vendor: a?.vendor ?? 'ibm',
      keys: failure || unchanged ? null : keys,
      revision,
      unchanged,
      error: failure ? { field: null, retry_after_secs: null, vendor: null, recovered: null, ...failure, code: failure.code === 'internal' ? 'config' : failure.code } : null,
      notices: failure ? [] : (b.notices[accountId] ?? []),
    };
  };
  const replace = (r: KeyRecord) => {
    b.keys[r.account] = (b.keys[r.account] ?? []).map((k) => (k.id === r.id ? r : k));
    return r;
  };
  const find = (a: Record<string, unknown>) => {
    const k = (b.keys[a.accountId as string] ?? []).find((x) => x.id === a.keyId);
    if (!k) throw { code: 'not_found', message: `no key ${String(a.keyId)}` };
    return k;
  };

  const standard: Record<string, Handler> = {
    app_info: () => ({ name: 'Keyrack', version: '9.8.7', sandbox: true, keychain: { ok: true }, logDir: null }),
    vendors: () => b.vendors,
    accounts_list: () => b.accounts,
    preferences_get: () => b.prefs,
    preferences_set: (a) => (b.prefs = a.p as Preferences),
    keys_list: (args) => {
      const total = b.accounts.length;
      const known = (args.known ?? {}) as Record<string, string>;
      b.accounts.forEach((a, i) => b.emit('inventory-progress', { done: i + 1, total, accountId: a.id, ok: !b.failing[a.id] }));
      return b.accounts.map((a) => listing(a.id, known[a.id]));
    },
    keys_list_account: (a) => listing(a.accountId as string),
    create_options: () => ({ owners: [], projects: [] }),
    key_create: (a) => {
      const spec = a.spec as { name: string | null };
      const accountId = a.accountId as string;
      const vendor = b.accounts.find((x) => x.id === accountId)?.vendor ?? 'ibm';
      const id = `NEW-${b.calls.length}`;
      const record: KeyRecord = {
        vendor,
        account: accountId,
        id,
        name: spec.name,
        description: null,
        owner: null,
        created_at: new Date().toISOString(),
        expires_at: null,
        last_used_at: null,
        status: 'active',
        locked: false,
        scopes: [],
        secret_hint: null,
        permissions: null,
        kind_label: null,
        extra: { vendor: 'codefresh', token_prefix: null, subject_type: null, subject_ref: null },
      };
      b.keys[accountId] = [...(b.keys[accountId] ?? []), record];
      const handle = `sec_${id}`;
      b.secrets[handle] = `s3cret-${id}-value`;
      const p: PendingSecret = { handle, record, hint: '••••alue', created_at: new Date().toISOString(), saved: false, copied: false };
      b.pending.push(p);
      return p;
    },
    key_update: (a) => replace({ ...find(a), ...(Object.fromEntries(Object.entries(a.changes as object).filter(([, v]) => v !== null)) as Partial<KeyRecord>) }),
    key_set_locked: (a) => replace({ ...find(a), locked: a.locked as boolean }),
    key_set_disabled: (a) => replace({ ...find(a), status: a.disabled ? 'disabled' : 'active' }),
    key_delete: (a) => {
      find(a);
      b.keys[a.accountId as string] = b.keys[a.accountId as string].filter((k) => k.id !== a.keyId);
      return { owner_without_keys: null };
    },
    owner_delete: () => null,
    inventory_preview: (a) => {
      const keys = a.keys as { accountId: string; keyId: string }[];
      if (keys.length === 0) throw { code: 'validation', message: 'none of these keys is listed', field: 'keys' };
      const first = a.format === 'csv' ? 'account,account_id,vendor,id' : a.format === 'json' ? '[' : '# Terraform';
      return {
        lines: [first, ...keys.map((k) => `${k.accountId} ${k.keyId}`)],
        moreLines: 0,
        keys: keys.length,
        accounts: new Set(keys.map((k) => k.accountId)).size,
      };
    },
    inventory_export: () => (b.picked === null ? null : { path: b.picked }),
    rotation_plan: (a) => {
      const old = find(a);
      return {
        account_id: a.accountId,
        old,
        spec: { ...old, name: `${old.name ?? 'key'}-rotated-20261204`, owner: null, project_id: null, expires_at: null },
        delivery: null,
        retire: (a.choice as { retire: string }).retire,
        grace_until: null,
        owner_keys: 1,
        max_keys_per_owner: null,
      };
    },
    rotate_key: (a) => {
      const old = find(a);
      const accountId = a.accountId as string;
      const id = `k_rot_${old.id}`;
      const record: KeyRecord = { ...old, id, name: `${old.name ?? 'key'}-rotated-20261204` };
      b.keys[accountId] = [...b.keys[accountId].filter((k) => k.id !== old.id), record];
      const handle = `sec_${id}`;
      b.secrets[handle] = `s3cret-${id}-value`;
      const secret: PendingSecret = { handle, record, hint: '••••alue', created_at: new Date().toISOString(), saved: false, copied: false };
      b.pending.push(secret);
      return {
        id: 'rot_0123456789abcdef',
        account_id: accountId,
        old_key_id: old.id,
        old_key: 'deleted',
        new_key_id: id,
        new_key: record,
        secret,
        step: 'done',
        failure: null,
        delivered: null,
        retire: 'delete',
        grace_until: null,
        journal_left: false,
        also_updated: [],
        summary: `Rotated: the new key ${id} exists, its secret held to reveal or save; the old key ${old.id} was deleted.`,
      };
    },
    rotation_pick_file: () =>
      b.picked === null ? null : { token: 'file-picked', path: b.picked, what: 'context work', remembered: false },
    key_used_in: () => [],
    secrets_pending: () => b.pending,
    secret_reveal: (a) => {
      const s = b.secrets[a.handle as string];
      if (!s) throw { code: 'not_found', message: 'gone' };
      return s;
    },
    secret_copy: () => ({ clearInSecs: b.prefs.clipboard_clear_secs }),
    secret_save: () => (b.picked === null ? null : { path: b.picked }),
    oci_config_append: () => ({ path: '/home/u/.oci/config' }),
    secret_dismiss: (a) => {
      b.pending = b.pending.filter((p) => p.handle !== a.handle);
      delete b.secrets[a.handle as string];
      return null;
    },
    account_test: () => ({ display: 'admin in account 1', warnings: [] }),
    account_test_new: () => ({ display: 'admin in account 1', warnings: [] }),
    account_add: (a) => {
      const input = a.input as Account;
      const acc: Account = { id: `acc-${b.accounts.length}`, name: input.name, vendor: input.vendor, sandbox: false, settings: input.settings };
      b.accounts = [...b.accounts, acc];
      return acc;
    },
    account_update: (a) => b.accounts.find((x) => x.id === a.id),
    // Nothing found on this computer unless a test says so.
    accounts_found: () => ({ found: [], unreadable: [] }),
    account_import: () => {
      throw { code: 'not_found', message: 'that account is no longer found on this computer' };
    },
    account_remove: (a) => {
      b.accounts = b.accounts.filter((x) => x.id !== a.id);
      return null;
    },
    tray_menu_items: () => [],
    attention_list: () =>
      b.attention.filter((a) => !b.notes.some((n) => n.account_id === a.account_id && n.key_id === a.key_id)),
    key_note_set: (a) => {
      const note = a.note as KeyNote;
      if (note.expected !== null && note.expected !== undefined && note.expected.trim() === '')
        throw { code: 'validation', message: 'say why the key is expected as it is', field: 'expected' };
      b.notes = [...b.notes.filter((n) => !(n.account_id === note.account_id && n.key_id === note.key_id)), note];
      return null;
    },
    audit_list: (a) => {
      const f = a.filter as AuditFilter;
      const out = [...b.audit]
        .reverse()
        .filter(
          (e) =>
            (!f.account_id || e.account_id === f.account_id) &&
            (!f.key_id || e.key_id === f.key_id) &&
            (!f.action || e.action === f.action) &&
            (!f.since || e.time >= f.since) &&
            (!f.until || e.time <= f.until),
        );
      return f.limit ? out.slice(0, f.limit) : out;
    },
  };

  b.invoke = async (cmd, args = {}) => {
    b.calls.push({ cmd, args });
    const queued = b.failures[cmd]?.shift();
    if (queued) throw queued;
    const h = b.handlers[cmd] ?? standard[cmd];
    if (!h) throw { code: 'internal', message: `unknown command ${cmd}` };
    // Copies, as IPC would serialize them.
    const out = await h(args);
    return out === undefined ? null : JSON.parse(JSON.stringify(out));
  };
  b.listen = async (event, cb) => {
    (b.listeners[event] ??= []).push(cb);
    return () => {
      b.listeners[event] = (b.listeners[event] ?? []).filter((x) => x !== cb);
    };
  };
  b.emit = (event, payload) => (b.listeners[event] ?? []).forEach((cb) => cb({ payload }));
  return b;
}
