// Short messages in the status area. Errors stay until dismissed; the rest fade on a timer.

export type ToastKind = 'info' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

export const INFO_TTL_MS = 4000;
/** More than this many on screen at once and the oldest info toast makes way. */
export const MAX_TOASTS = 4;

export class Toaster {
  items = $state<Toast[]>([]);
  #next = 1;

  show(message: string, kind: ToastKind = 'info'): number {
    const id = this.#next++;
    this.items.push({ id, kind, message });
    if (kind !== 'error') setTimeout(() => this.dismiss(id), INFO_TTL_MS);
    while (this.items.length > MAX_TOASTS) {
      const oldestInfo = this.items.find((t) => t.kind !== 'error');
      this.dismiss((oldestInfo ?? this.items[0]).id);
    }
    return id;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toaster = new Toaster();
