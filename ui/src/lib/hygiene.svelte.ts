// What needs attention and what was done, as the backend reports them: the attention list
// (core's rules over the keys as last listed) and the audit log's entries for the activity
// view's filter. Snoozes and "expected" marks go to the backend, then the list is read again.
import * as api from './api';
import { daysLater } from './hygiene';
import { toaster } from './toasts.svelte';
import type { Attention, AuditAction, AuditEntry } from './types';

/** What the activity view filters by; empty strings are "any". */
export interface ActivityFilter {
  account: string;
  key: string;
  action: AuditAction | '';
  /** `<input type="date">` values. */
  from: string;
  to: string;
}

export const NO_ACTIVITY_FILTER: ActivityFilter = { account: '', key: '', action: '', from: '', to: '' };

/** At most this many entries are shown at once. */
export const ACTIVITY_LIMIT = 500;

export class Hygiene {
  attention = $state.raw<Attention[]>([]);
  entries = $state.raw<AuditEntry[]>([]);
  activityFilter = $state<ActivityFilter>({ ...NO_ACTIVITY_FILTER });
  activityError = $state<string | null>(null);
  loadingActivity = $state(false);

  reset(): void {
    this.attention = [];
    this.entries = [];
    this.activityFilter = { ...NO_ACTIVITY_FILTER };
    this.activityError = null;
  }

  async loadAttention(): Promise<void> {
    try {
      this.attention = await api.attentionList();
    } catch (e) {
      toaster.show(`Could not work out which keys need attention: ${api.errorMessage(e)}`, 'error');
    }
  }

  /** The audit log's entries for the current filter, newest first. */
  async loadActivity(bound: (value: string, end: boolean) => string | null): Promise<void> {
    const f = this.activityFilter;
    this.loadingActivity = true;
    try {
      this.entries = await api.auditList({
        account_id: f.account || null,
        key_id: f.key.trim() || null,
        action: f.action || null,
        since: bound(f.from, false),
        until: bound(f.to, true),
        limit: ACTIVITY_LIMIT,
      });
      this.activityError = null;
    } catch (e) {
      this.activityError = api.errorMessage(e);
    } finally {
      this.loadingActivity = false;
    }
  }

  /** No attention for `days` days. */
  async snooze(a: Attention, days: number, now: number = Date.now()): Promise<void> {
    await this.note(a, { snoozed_until: daysLater(days, now), expected: null }, `Snoozed for ${days} days`);
  }

  /** Never flagged: it is meant to be as it is, for `reason`. */
  async markExpected(a: Attention, reason: string): Promise<void> {
    await this.note(a, { snoozed_until: null, expected: reason.trim() }, 'Marked as expected');
  }

  private async note(
    a: Attention,
    change: { snoozed_until: string | null; expected: string | null },
    done: string,
  ): Promise<void> {
    try {
      await api.keyNoteSet({ account_id: a.account_id, key_id: a.key_id, ...change });
      this.attention = this.attention.filter((x) => !(x.account_id === a.account_id && x.key_id === a.key_id));
      toaster.show(`${done}: ${a.key.name ?? a.key_id}`);
      await this.loadAttention();
    } catch (e) {
      toaster.show(`Could not save that: ${api.errorMessage(e)}`, 'error');
      throw e;
    }
  }
}

export const hygiene = new Hygiene();
