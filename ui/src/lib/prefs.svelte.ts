// App preferences, applied the moment they change: the theme on the document, the rest read by
// whoever needs them (expiry highlighting, the clipboard countdown).
import * as api from './api';
import type { Preferences, Theme } from './types';

export const DEFAULT_PREFERENCES: Preferences = {
  clipboard_clear_secs: 45,
  expiring_soon_days: 14,
  older_than_days: 90,
  age_of_unrotatable: false,
  unused_for_days: 90,
  account_rules: {},
  refresh_hours: 6,
  quiet: false,
  start_at_login: false,
  sandbox: true,
  theme: 'system',
  include_archived: false,
};

/** The ranges core accepts (settings.rs). */
export const CLIPBOARD_CLEAR_SECS = { min: 5, max: 600 };
export const EXPIRING_SOON_DAYS = { min: 1, max: 365 };
/** Older-than and unused-for thresholds, in days (0: off). */
export const AGE_DAYS = { min: 0, max: 3650 };
/** Scheduled refresh, in hours (0: never). */
export const REFRESH_HOURS = { min: 0, max: 168 };

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  root.dataset.theme = theme;
}

export class Prefs {
  value = $state.raw<Preferences>(DEFAULT_PREFERENCES);

  async load(): Promise<void> {
    this.value = await api.preferencesGet();
    applyTheme(this.value.theme);
  }

  /** Saves a change; the backend's answer (which may normalize it) becomes the value. */
  async set(change: Partial<Preferences>): Promise<Preferences> {
    const next = { ...this.value, ...change };
    applyTheme(next.theme);
    try {
      this.value = await api.preferencesSet(next);
    } finally {
      applyTheme(this.value.theme);
    }
    return this.value;
  }
}

export const prefs = new Prefs();
