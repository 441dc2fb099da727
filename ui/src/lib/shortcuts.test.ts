import { describe, expect, it } from 'vitest';
import { isTyping, moveTo, shortcutFor } from './shortcuts';

const k = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('shortcutFor', () => {
  it('maps the app shortcuts', () => {
    expect(shortcutFor(k('/'), false, false)).toBe('search');
    expect(shortcutFor(k('k', { ctrlKey: true }), false, false)).toBe('search');
    expect(shortcutFor(k('n', { ctrlKey: true }), false, false)).toBe('new-key');
    expect(shortcutFor(k('N', { metaKey: true }), false, false)).toBe('new-key');
    expect(shortcutFor(k('r', { ctrlKey: true }), false, false)).toBe('refresh');
    expect(shortcutFor(k('F5'), false, false)).toBe('refresh');
    expect(shortcutFor(k('Delete'), false, false)).toBe('delete');
    expect(shortcutFor(k('ArrowDown'), false, false)).toBe('down');
    expect(shortcutFor(k('ArrowUp'), false, false)).toBe('up');
    expect(shortcutFor(k('End'), false, false)).toBe('last');
  });

  it('leaves plain keys to text fields, but Ctrl shortcuts still work there', () => {
    expect(shortcutFor(k('/'), true, false)).toBeNull();
    expect(shortcutFor(k('Delete'), true, false)).toBeNull();
    expect(shortcutFor(k('ArrowDown'), true, false)).toBeNull();
    expect(shortcutFor(k('k', { ctrlKey: true }), true, false)).toBe('search');
  });

  it('turns list shortcuts off in dialogs, but never lets the webview reload', () => {
    expect(shortcutFor(k('Delete'), false, true)).toBeNull();
    expect(shortcutFor(k('n', { ctrlKey: true }), false, true)).toBeNull();
    expect(shortcutFor(k('r', { ctrlKey: true }), false, true)).toBe('refresh');
    expect(shortcutFor(k('F5'), true, true)).toBe('refresh');
  });

  it('ignores Alt and Shift combinations and other keys', () => {
    expect(shortcutFor(k('n', { ctrlKey: true, shiftKey: true }), false, false)).toBeNull();
    expect(shortcutFor(k('n', { altKey: true }), false, false)).toBeNull();
    expect(shortcutFor(k('x'), false, false)).toBeNull();
  });
});

describe('isTyping', () => {
  it('is true in text fields only', () => {
    const text = document.createElement('input');
    const box = document.createElement('input');
    box.type = 'checkbox';
    const area = document.createElement('textarea');
    expect(isTyping(text)).toBe(true);
    expect(isTyping(area)).toBe(true);
    expect(isTyping(box)).toBe(false);
    expect(isTyping(document.body)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});

describe('moveTo', () => {
  it('steps a row or a page, and jumps to either end', () => {
    expect(moveTo('down', 3, 10, 4)).toBe(4);
    expect(moveTo('up', 3, 10, 4)).toBe(2);
    expect(moveTo('page-down', 3, 10, 4)).toBe(7);
    expect(moveTo('page-up', 5, 10, 4)).toBe(1);
    expect(moveTo('first', 5, 10, 4)).toBe(0);
    expect(moveTo('last', 5, 10, 4)).toBe(9);
  });

  it('stops at the ends of the list', () => {
    expect(moveTo('up', 0, 10, 4)).toBe(0);
    expect(moveTo('down', 9, 10, 4)).toBe(9);
    expect(moveTo('page-up', 2, 10, 4)).toBe(0);
    expect(moveTo('page-down', 8, 10, 4)).toBe(9);
  });

  it('starts at the top when nothing is selected, and has nowhere to go in an empty list', () => {
    expect(moveTo('down', -1, 10, 4)).toBe(0);
    expect(moveTo('up', -1, 10, 4)).toBe(0);
    expect(moveTo('page-down', -1, 10, 4)).toBe(0);
    expect(moveTo('last', -1, 10, 4)).toBe(9);
    expect(moveTo('down', -1, 0, 4)).toBeNull();
  });
});
