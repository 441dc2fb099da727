// The one-time reveal panel's state. The secret itself lives in the backend under a handle; the
// UI holds its text only while the user has it shown, and forgets it on hide, close, switch or
// dismiss.
import * as api from './api';
import type { PendingSecret } from './types';

export class Reveal {
  pending = $state.raw<PendingSecret[]>([]);
  /** The handle the panel shows, when open. */
  handle = $state<string | null>(null);
  /** The secret's text: set only by an explicit Show, cleared by everything else. */
  shown = $state<string | null>(null);
  /** When the copied secret leaves the clipboard (ms since epoch), while it is there. */
  clearsAt = $state<number | null>(null);
  copiedHandle = $state<string | null>(null);
  /** The clipboard timer ran out but the user had copied something else: it was left alone. */
  leftAlone = $state(false);
  busy = $state(false);

  reset(): void {
    this.pending = [];
    this.handle = null;
    this.shown = null;
    this.clearsAt = null;
    this.copiedHandle = null;
    this.leftAlone = false;
  }

  get open(): boolean {
    return this.handle !== null;
  }

  get current(): PendingSecret | undefined {
    return this.pending.find((p) => p.handle === this.handle);
  }

  /** Whether closing would lose the secret for good (never saved nor copied). */
  get atRisk(): boolean {
    const c = this.current;
    return !!c && !c.saved && !c.copied;
  }

  /** Re-reads what the backend still holds; opens the panel if anything is held. */
  async load(openIfAny = true): Promise<void> {
    this.pending = await api.secretsPending();
    if (this.handle && !this.pending.some((p) => p.handle === this.handle)) this.close();
    if (openIfAny && !this.open && this.pending.length > 0) this.openFor(this.pending[0].handle);
  }

  /** A key was just created: remember it and show it. */
  add(secret: PendingSecret): void {
    this.pending = [...this.pending.filter((p) => p.handle !== secret.handle), secret];
    this.openFor(secret.handle);
  }

  /** A secret to save later: remembered, the panel left as it is (a dialog that shows its own
   *  result first, e.g. a rotation's, opens the panel when the user asks). */
  hold(secret: PendingSecret): void {
    this.pending = [...this.pending.filter((p) => p.handle !== secret.handle), secret];
  }

  openFor(handle?: string | null): void {
    const target = handle && this.pending.some((p) => p.handle === handle) ? handle : this.pending[0]?.handle;
    if (!target) return;
    if (target !== this.handle) this.hide();
    this.handle = target;
  }

  async show(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    const text = await api.secretReveal(handle);
    // The user may have moved on while the backend answered.
    if (this.handle === handle) this.shown = text;
  }

  hide(): void {
    this.shown = null;
  }

  async copy(): Promise<number> {
    const handle = this.handle;
    if (!handle) return 0;
    const { clearInSecs } = await api.secretCopy(handle);
    this.clearsAt = Date.now() + clearInSecs * 1000;
    this.copiedHandle = handle;
    this.leftAlone = false;
    this.#update(handle, { copied: true });
    return clearInSecs;
  }

  /** The clipboard timer ran out: cleared, or left alone when it no longer held the secret. */
  cleared(handle?: string | null, cleared = true): void {
    if (!handle || handle === this.copiedHandle) {
      this.clearsAt = null;
      this.copiedHandle = null;
      this.leftAlone = !cleared;
    }
  }

  markSaved(handle: string): void {
    this.#update(handle, { saved: true });
  }

  /** Closes the panel; the backend keeps the secret (the tray can open it again). */
  close(): void {
    this.hide();
    this.handle = null;
  }

  /** Drops the secret for good, in the backend too; shows the next pending one, if any. */
  async dismiss(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.hide();
    await api.secretDismiss(handle);
    this.pending = this.pending.filter((p) => p.handle !== handle);
    if (this.copiedHandle === handle) this.cleared(handle);
    this.handle = this.pending[0]?.handle ?? null;
  }

  #update(handle: string, change: Partial<PendingSecret>): void {
    this.pending = this.pending.map((p) => (p.handle === handle ? { ...p, ...change } : p));
  }
}

export const reveal = new Reveal();
