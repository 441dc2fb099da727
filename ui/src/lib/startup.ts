// What the window loads when it opens, and again when the accounts change: app info, vendors,
// preferences, accounts, keys still waiting to be saved, then the first listing. Each failure is
// said in a toast and the rest carries on, so one unreadable file never leaves the window blank.
import { refreshAll, retryAccount } from './actions';
import * as api from './api';
import { inventory } from './inventory.svelte';
import { prefs } from './prefs.svelte';
import { reveal } from './reveal.svelte';
import { toaster } from './toasts.svelte';
import type { AppInfo } from './types';

/** A rejection handler that says `what` failed, and why, in an error toast. */
export function report(what: string): (e: unknown) => void {
  return (e) => toaster.show(`${what}: ${api.errorMessage(e)}`, 'error');
}

export async function loadAccounts(): Promise<void> {
  await inventory.loadAccounts().catch(report('Could not read the accounts'));
}

/** Accounts were added, removed or switched (sandbox): read them again and list every one. */
export async function reloadAccounts(): Promise<void> {
  await loadAccounts();
  await refreshAll();
}

/** One account was added or edited: read the accounts again and list that one. */
export async function accountChanged(refreshId: string | null): Promise<void> {
  await loadAccounts();
  if (refreshId) await retryAccount(refreshId);
}

/**
 * Loads everything the window shows. App info arrives on its own (`oninfo`): the status bar
 * needs nothing else, and the rest does not wait for it.
 */
export async function start(oninfo: (info: AppInfo) => void): Promise<void> {
  // Marks on the page's clock, read by the start benchmark (scripts/bench/start.sh).
  performance.mark('keyrack:start');
  api.appInfo().then((info) => {
    oninfo(info);
    // The settings problem stays in the status bar; the others are said once.
    for (const p of info.problems ?? []) if (p.area !== 'settings') toaster.show(p.error.message, 'error');
  }, report('Could not read app info'));
  await Promise.all([
    inventory.loadVendors().catch(report('Could not read the vendors')),
    prefs.load().catch(report('Could not read the preferences')),
    loadAccounts(),
  ]);
  performance.mark('keyrack:accounts');
  reveal.load().catch(report('Could not read the unsaved keys'));
  if (inventory.accounts.length > 0) await refreshAll();
  performance.mark('keyrack:listed');
}
