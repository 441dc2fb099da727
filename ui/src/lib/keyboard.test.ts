import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../test/backend';

const h = vi.hoisted(() => ({ b: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (cmd: string, args?: Record<string, unknown>) => h.b.invoke(cmd, args),
}));

import { resetStores } from '../test/app';
import { backend } from '../test/backend';
import { account, CAPS, key, VENDORS } from '../test/fixtures';
import { inventory } from './inventory.svelte';
import { focusTable, onShortcutKey } from './keyboard';
import { rowUid } from './keys';
import { reveal } from './reveal.svelte';
import { ui } from './ui.svelte';

const ibm = account('ibm');
const cf = account('codefresh');
const IDS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9'];

let search: HTMLInputElement;
let table: HTMLDivElement;

/** Presses a key on `target` (the page by default); returns whether the app took it. */
function press(key: string, mods: KeyboardEventInit = {}, target: EventTarget = document.body): boolean {
  const event = new KeyboardEvent('keydown', { key, cancelable: true, bubbles: true, ...mods });
  Object.defineProperty(event, 'target', { value: target });
  onShortcutKey(event, search);
  return event.defaultPrevented;
}

function selectedId(): string | undefined {
  return ui.selected ? inventory.row(ui.selected)?.record.id : undefined;
}

beforeEach(() => {
  resetStores();
  h.b = backend({ accounts: [ibm, cf] });
  // Codefresh keys cannot be deleted here, to tell the vendors apart.
  inventory.vendors = VENDORS.map((v) =>
    v.vendor === 'codefresh' ? { ...v, capabilities: { ...CAPS.codefresh, delete: false } } : v,
  );
  inventory.setAccounts([ibm, cf]);
  inventory.applyListing({ accountId: ibm.id, keys: IDS.map((id) => key('ibm', ibm.id, id, { name: id })) });
  inventory.applyListing({ accountId: cf.id, keys: [key('codefresh', cf.id, 'cf', { name: 'zz' })] });
  search = document.createElement('input');
  table = document.createElement('div');
  table.id = 'key-table';
  table.tabIndex = 0;
  // Six rows in view: a page is four, two kept in sight.
  Object.defineProperty(table, 'clientHeight', { value: 6 * 34 });
  document.body.append(search, table);
});

afterEach(() => {
  search.remove();
  table.remove();
});

describe('moving through the list', () => {
  it('starts at the top and steps through the rows as shown', () => {
    expect(press('ArrowDown')).toBe(true);
    expect(selectedId()).toBe('k0');
    press('ArrowDown');
    expect(selectedId()).toBe('k1');
    press('ArrowUp');
    expect(selectedId()).toBe('k0');
    press('End');
    expect(selectedId()).toBe('cf');
    press('Home');
    expect(selectedId()).toBe('k0');
  });

  it('moves a page at a time by what the table shows', () => {
    press('ArrowDown');
    press('PageDown');
    expect(selectedId()).toBe('k4');
    press('PageUp');
    expect(selectedId()).toBe('k0');
  });

  it('asks the table to scroll to the new selection', () => {
    const before = ui.reveals;
    press('ArrowDown');
    expect(ui.reveals).toBe(before + 1);
  });

  it('does nothing in an empty list', () => {
    ui.filter.query = 'nothing matches this';
    expect(press('ArrowDown')).toBe(true);
    expect(ui.selected).toBeNull();
  });

  it('enters the list from the search at the first row, or where the selection is', () => {
    focusTable();
    expect(document.activeElement).toBe(table);
    expect(selectedId()).toBe('k0');
    ui.select(rowUid(ibm.id, 'k5'));
    focusTable();
    expect(selectedId()).toBe('k5');
  });
});

describe('shortcuts', () => {
  it('/ and Ctrl+K put the cursor in the search, its text selected', () => {
    search.value = 'old';
    expect(press('/')).toBe(true);
    expect(document.activeElement).toBe(search);
    expect([search.selectionStart, search.selectionEnd]).toEqual([0, 3]);
    search.blur();
    press('k', { ctrlKey: true });
    expect(document.activeElement).toBe(search);
  });

  it('Ctrl+N opens the create form on the selected key’s account', () => {
    ui.select(rowUid(cf.id, 'cf'));
    press('n', { ctrlKey: true });
    expect(ui.dialog).toEqual({ kind: 'create', accountId: cf.id });
  });

  it('Delete asks to delete the selected key, where the vendor can delete it', () => {
    ui.select(rowUid(cf.id, 'cf'));
    expect(press('Delete')).toBe(true);
    expect(ui.dialog).toBeNull();
    ui.select(rowUid(ibm.id, 'k3'));
    press('Delete');
    expect(ui.dialog).toMatchObject({ kind: 'delete', row: { uid: rowUid(ibm.id, 'k3') } });
  });

  it('Ctrl+R lists again, unless a listing runs', () => {
    inventory.refreshing = true;
    press('r', { ctrlKey: true });
    expect(h.b.called('keys_list')).toEqual([]);
    inventory.refreshing = false;
    press('r', { ctrlKey: true });
    expect(h.b.called('keys_list')).toHaveLength(1);
  });

  it('leaves other keys, and plain keys typed in a field, alone', () => {
    expect(press('x')).toBe(false);
    expect(press('ArrowDown', {}, search)).toBe(false);
    expect(press('Delete', {}, search)).toBe(false);
    expect(ui.selected).toBeNull();
  });
});

describe('while something covers the list', () => {
  it('turns the list shortcuts off under a dialog, the reveal panel or any modal', () => {
    ui.dialog = { kind: 'settings' };
    expect(press('ArrowDown')).toBe(false);
    ui.dialog = null;
    reveal.pending = [{ handle: 's', record: key('ibm', ibm.id, 'k0'), hint: '', created_at: '', saved: false, copied: false }];
    reveal.openFor('s');
    expect(press('n', { ctrlKey: true })).toBe(false);
    reveal.close();
    const modal = document.createElement('div');
    modal.setAttribute('aria-modal', 'true');
    document.body.append(modal);
    expect(press('Delete')).toBe(false);
    modal.remove();
    expect(ui.selected).toBeNull();
    expect(ui.dialog).toBeNull();
  });

  it('still refreshes, so the webview never reloads the page', () => {
    ui.dialog = { kind: 'settings' };
    expect(press('F5')).toBe(true);
    expect(h.b.called('keys_list')).toHaveLength(1);
  });
});
