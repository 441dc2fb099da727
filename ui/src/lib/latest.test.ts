import { describe, expect, it } from 'vitest';
import { loadLatest } from './latest';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('loadLatest', () => {
  it('hands over the answer of a load still current', async () => {
    const d = deferred<string>();
    const seen: string[] = [];
    loadLatest(() => d.promise, (v) => seen.push(v), (m) => seen.push(`error: ${m}`));
    d.resolve('files');
    await settle();
    expect(seen).toEqual(['files']);
  });

  it('drops an answer or an error that arrives after the cancel', async () => {
    const slow = deferred<string>();
    const failing = deferred<string>();
    const seen: string[] = [];
    const cancel = loadLatest(() => slow.promise, (v) => seen.push(v), (m) => seen.push(m));
    const cancelToo = loadLatest(() => failing.promise, (v) => seen.push(v), (m) => seen.push(m));
    cancel();
    cancelToo();
    slow.resolve('for the old key');
    failing.reject(new Error('too late'));
    await settle();
    expect(seen).toEqual([]);
  });

  it("says a failed load's message", async () => {
    const d = deferred<string>();
    const seen: string[] = [];
    loadLatest(() => d.promise, (v) => seen.push(v), (m) => seen.push(`error: ${m}`));
    d.reject({ code: 'io', message: 'the audit log is unreadable' });
    await settle();
    expect(seen).toEqual(['error: the audit log is unreadable']);
  });
});
