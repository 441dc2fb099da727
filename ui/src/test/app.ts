// Shared set-up of component tests that render the whole app against the fake backend.
import { hygiene } from '../lib/hygiene.svelte';
import { inventory } from '../lib/inventory.svelte';
import { prefs, DEFAULT_PREFERENCES } from '../lib/prefs.svelte';
import { reveal } from '../lib/reveal.svelte';
import { toaster } from '../lib/toasts.svelte';
import { ui } from '../lib/ui.svelte';
import { view } from '../lib/view.svelte';

export function resetStores(): void {
  inventory.reset();
  ui.reset();
  reveal.reset();
  prefs.value = DEFAULT_PREFERENCES;
  toaster.items = [];
  hygiene.reset();
  view.page = 'keys';
}

/** Lets pending promises and Svelte's updates run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
