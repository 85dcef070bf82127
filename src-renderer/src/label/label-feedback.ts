import { getCurrentScope, onScopeDispose, ref } from 'vue';

/** A bulk change shown with an Undo button, while it is still the change Undo would take back. */
export interface LabelToast {
  text: string;
  /** The undo summary the change left; the toast goes when Undo would undo something else. */
  undoSummary: string | null;
}

/** How long an information line stays when nothing replaces it. */
export const MESSAGE_MS = 8_000;

/**
 * The labelling view's feedback: one status line (replaced by the next action, gone after a
 * while, or when the library changes if it was about a missing class), one error (gone when
 * the next action succeeds) and one toast for bulk changes.
 */
export function useLabelFeedback(messageMs = MESSAGE_MS) {
  const message = ref<string | null>(null);
  const error = ref<string | null>(null);
  const toast = ref<LabelToast | null>(null);
  let aboutClasses = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function stopTimer(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  /** Shows a status line; `aboutClasses` lines also go when the classes change (the class now exists). */
  function say(text: string, options: { aboutClasses?: boolean } = {}): void {
    stopTimer();
    message.value = text;
    aboutClasses = options.aboutClasses === true;
    timer = setTimeout(() => {
      timer = null;
      message.value = null;
    }, messageMs);
  }

  /** A new action started: what was said about the last one is stale. */
  function actionStarted(): void {
    stopTimer();
    message.value = null;
    error.value = null;
  }

  /** The library changed and the view re-read it: drop what that made stale. */
  function libraryChanged(undoSummary: string | null): void {
    error.value = null;
    if (aboutClasses) {
      stopTimer();
      message.value = null;
      aboutClasses = false;
    }
    if (toast.value && toast.value.undoSummary !== undoSummary) toast.value = null;
  }

  if (getCurrentScope()) onScopeDispose(stopTimer);

  return { message, error, toast, say, actionStarted, libraryChanged };
}
