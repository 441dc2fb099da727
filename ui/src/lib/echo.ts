// The backend announces every change it makes (`keys-changed`), including the ones this window
// asked for and has already applied in place. Those echoes are recognised here so that only
// changes made elsewhere (the tray) trigger a re-list.

const QUIET_MS = 1500;
let inflight = 0;
let quietUntil = 0;

/** Runs one of this window's own changes. */
export async function own<T>(change: () => Promise<T>): Promise<T> {
  inflight++;
  try {
    return await change();
  } finally {
    inflight--;
    quietUntil = Date.now() + QUIET_MS;
  }
}

/** Whether a change event now is most likely the echo of this window's own change. */
export function isEcho(now: number = Date.now()): boolean {
  return inflight > 0 || now < quietUntil;
}
