import { nextTick, onBeforeUnmount, onMounted, type Ref } from 'vue';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The elements Tab visits inside `root`, in order. */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute('inert') && el.getAttribute('aria-hidden') !== 'true');
}

/**
 * Keeps the keyboard inside a menu or dialog while it is open: focus moves into it when it
 * opens (to `initial`, else its first control, else the root itself), Tab and Shift+Tab wrap
 * around inside it, and focus goes back where it was when it closes (when that is still on
 * the page), so no key typed after opening lands on the page behind.
 */
export function useFocusTrap(root: Ref<HTMLElement | null>, initial?: Ref<HTMLElement | null>): void {
  let previous: Element | null = null;

  function onKeydown(event: KeyboardEvent): void {
    const el = root.value;
    if (event.key !== 'Tab' || !el) return;
    const items = focusableIn(el);
    if (items.length === 0) {
      event.preventDefault();
      return;
    }
    const first = items[0]!;
    const last = items[items.length - 1]!;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !el.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !el.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  onMounted(async () => {
    previous = document.activeElement;
    root.value?.addEventListener('keydown', onKeydown);
    await nextTick();
    const el = root.value;
    if (!el) return;
    const target = initial?.value ?? focusableIn(el)[0] ?? el;
    if (target === el && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
    target.focus();
    if (target instanceof HTMLInputElement) target.select();
  });

  onBeforeUnmount(() => {
    root.value?.removeEventListener('keydown', onKeydown);
    const el = root.value;
    // Only when focus is still ours: a click elsewhere that closed us already put it where the user wants it.
    if (el && el.contains(document.activeElement)) {
      if (previous instanceof HTMLElement && previous.isConnected && previous !== document.body) previous.focus();
      else (document.activeElement as HTMLElement | null)?.blur();
    }
  });
}
