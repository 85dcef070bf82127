import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useLabelFeedback } from './label-feedback';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('useLabelFeedback', () => {
  it('lets a status line go by itself after a while, or when the next action starts', () => {
    const feedback = useLabelFeedback(1000);
    feedback.say('Labelled 2 images as “cat”');
    vi.advanceTimersByTime(999);
    expect(feedback.message.value).toBe('Labelled 2 images as “cat”');
    vi.advanceTimersByTime(1);
    expect(feedback.message.value).toBeNull();
    feedback.say('Undid: label 2 images');
    feedback.actionStarted();
    expect(feedback.message.value).toBeNull();
  });

  it('drops a line about a missing class, an error and a stale toast when the library changes', () => {
    const feedback = useLabelFeedback();
    feedback.say('No class has key 7.', { aboutClasses: true });
    feedback.error.value = 'Class 12 does not exist';
    feedback.toast.value = { text: 'Labelled 300 images', undoSummary: 'label 300 images' };
    feedback.libraryChanged('label 300 images');
    expect(feedback.message.value).toBeNull();
    expect(feedback.error.value).toBeNull();
    expect(feedback.toast.value).not.toBeNull();
    feedback.say('Labelled 1 image');
    feedback.libraryChanged('something else');
    expect(feedback.message.value).toBe('Labelled 1 image');
    expect(feedback.toast.value).toBeNull();
  });
});
