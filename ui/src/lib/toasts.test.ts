import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INFO_TTL_MS, MAX_TOASTS, Toaster } from './toasts.svelte';

describe('Toaster', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows messages in order with distinct ids', () => {
    const t = new Toaster();
    const a = t.show('saved');
    const b = t.show('failed', 'error');
    expect(a).not.toBe(b);
    expect(t.items.map((x) => [x.kind, x.message])).toEqual([
      ['info', 'saved'],
      ['error', 'failed'],
    ]);
  });

  it('drops info toasts after their time but keeps errors', () => {
    const t = new Toaster();
    t.show('saved');
    t.show('failed', 'error');
    vi.advanceTimersByTime(INFO_TTL_MS - 1);
    expect(t.items).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(t.items.map((x) => x.message)).toEqual(['failed']);
  });

  it('dismisses one toast by id', () => {
    const t = new Toaster();
    const a = t.show('one', 'error');
    t.show('two', 'error');
    t.dismiss(a);
    expect(t.items.map((x) => x.message)).toEqual(['two']);
  });

  it('keeps at most a few on screen, dropping the oldest info first', () => {
    const t = new Toaster();
    t.show('failed', 'error');
    for (let i = 0; i < MAX_TOASTS + 2; i++) t.show(`saved ${i}`);
    expect(t.items).toHaveLength(MAX_TOASTS);
    expect(t.items[0].message).toBe('failed');
    expect(t.items.at(-1)?.message).toBe(`saved ${MAX_TOASTS + 1}`);
  });
});
