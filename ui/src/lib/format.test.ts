import { describe, expect, it } from 'vitest';
import { absolute, count, daysUntil, humanize, mask, relative, seconds, since, toMs } from './format';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const MIN = 60_000;
const DAY = 86_400_000;

describe('since', () => {
  it('reads a past event like relative, and one a little ahead of our clock as just now', () => {
    expect(since(at(-5 * MIN), NOW)).toBe('5 minutes ago');
    expect(since(at(10_000), NOW)).toBe('just now');
    expect(since(at(3 * DAY), NOW)).toBe('just now');
    expect(since(null, NOW)).toBe('—');
  });
});

describe('relative', () => {
  it('says how far ahead a date is, in the largest whole unit', () => {
    expect(relative(at(3 * DAY), NOW)).toBe('in 3 days');
    expect(relative(at(3 * DAY + 5 * 3_600_000), NOW)).toBe('in 3 days');
    expect(relative(at(DAY), NOW)).toBe('in 1 day');
    expect(relative(at(2 * 3_600_000), NOW)).toBe('in 2 hours');
    expect(relative(at(14 * DAY), NOW)).toBe('in 2 weeks');
    expect(relative(at(400 * DAY), NOW)).toBe('in 1 year');
  });

  it('says how long ago a date was', () => {
    expect(relative(at(-5 * MIN), NOW)).toBe('5 minutes ago');
    expect(relative(at(-1 * MIN), NOW)).toBe('1 minute ago');
    expect(relative(at(-45 * DAY), NOW)).toBe('1 month ago');
    expect(relative(at(-10_000), NOW)).toBe('just now');
    expect(relative(at(10_000), NOW)).toBe('in under a minute');
  });

  it('shows a dash for a missing or broken date', () => {
    expect(relative(null, NOW)).toBe('—');
    expect(relative('not a date', NOW)).toBe('—');
    expect(toMs(undefined)).toBeNull();
  });
});

describe('dates', () => {
  it('counts days to a date, negative once past', () => {
    expect(daysUntil(at(2 * DAY), NOW)).toBe(2);
    expect(daysUntil(at(-DAY / 2), NOW)).toBe(-0.5);
    expect(daysUntil(null, NOW)).toBeNull();
  });

  it('writes local date and time to the minute', () => {
    const local = new Date(2026, 0, 5, 9, 7).toISOString();
    expect(absolute(local)).toBe('2026-01-05 09:07');
    expect(absolute(null)).toBe('—');
  });
});

describe('mask', () => {
  it('shows at most the last four characters of a long secret', () => {
    expect(mask('sk-proj-abcdefgh1234')).toBe('••••1234');
  });

  it('shows nothing of a short secret', () => {
    expect(mask('abcd1234')).toBe('••••');
    expect(mask('')).toBe('••••');
  });
});

describe('small words', () => {
  it('writes seconds, counts and labels', () => {
    expect(seconds(45)).toBe('45 s');
    expect(seconds(125)).toBe('2 min 5 s');
    expect(seconds(120)).toBe('2 min');
    expect(seconds(-3)).toBe('0 s');
    expect(count(1, 'key')).toBe('1 key');
    expect(count(10000, 'key')).toBe('10,000 keys');
    expect(humanize('service_account')).toBe('Service account');
    expect(humanize('action_when_leaked')).toBe('Action when leaked');
    expect(humanize('iam_id')).toBe('IAM ID');
    expect(humanize('crn')).toBe('CRN');
  });
});
