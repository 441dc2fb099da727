import { errorMessage } from './api';

/**
 * Starts `load` and hands its result to `done`, or its error's message to `failed` — unless
 * the returned cancel ran first. An `$effect` returns that cancel, so an answer that arrives
 * after the key (or anything else the effect read) changed is dropped, not shown for the new one.
 */
export function loadLatest<T>(
  load: () => Promise<T>,
  done: (value: T) => void,
  failed: (message: string) => void,
): () => void {
  let current = true;
  load().then(
    (value) => {
      if (current) done(value);
    },
    (e: unknown) => {
      if (current) failed(errorMessage(e));
    },
  );
  return () => {
    current = false;
  };
}
