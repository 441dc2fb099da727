import { describe, expect, it } from 'vitest';
import { scrollToReveal, visibleWindow } from './virtual';

describe('visibleWindow', () => {
  it('renders only the rows in view plus a margin', () => {
    const w = visibleWindow(10_000, 34, 0, 680, 8);
    expect(w.start).toBe(0);
    expect(w.end).toBe(29);
    expect(w.before).toBe(0);
    expect(w.after).toBe((10_000 - 29) * 34);
  });

  it('follows the scroll position and keeps the total height', () => {
    const w = visibleWindow(10_000, 34, 34 * 5000, 680, 8);
    expect(w.start).toBe(4992);
    expect(w.end).toBe(5029);
    expect(w.before + (w.end - w.start) * 34 + w.after).toBe(10_000 * 34);
  });

  it('clamps at the end and handles short or empty lists', () => {
    const end = visibleWindow(100, 34, 34 * 5000, 680);
    expect(end.end).toBe(100);
    expect(end.start).toBeLessThan(100);
    expect(end.before + (end.end - end.start) * 34 + end.after).toBe(3400);
    expect(visibleWindow(3, 34, 0, 680)).toEqual({ start: 0, end: 3, before: 0, after: 0 });
    expect(visibleWindow(0, 34, 0, 680)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });
});

describe('scrollToReveal', () => {
  it('scrolls only as far as needed to show a row', () => {
    expect(scrollToReveal(10, 34, 0, 340)).toBe(34);
    expect(scrollToReveal(3, 34, 340, 340)).toBe(102);
    expect(scrollToReveal(12, 34, 340, 340)).toBeNull();
  });
});
