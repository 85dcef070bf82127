import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import LibraryStats from './LibraryStats.vue';

describe('LibraryStats', () => {
  it('shows the project, the totals and each class with its colour and count', () => {
    const wrapper = mount(LibraryStats, {
      props: {
        project: { dir: '/projects/pets', name: 'pets', schemaVersion: 3, createdAt: '2025-01-01T00:00:00.000Z' },
        counts: { total: 30, labelled: 20, unlabelled: 10, missing: 2, perClass: { 1: 12, 2: 8 } },
        classes: [
          { id: 1, name: 'cat', color: '#ff0000', sortOrder: 0, hotkey: 1, imageCount: 12 },
          { id: 2, name: 'dog', color: '#0000ff', sortOrder: 1, hotkey: 2, imageCount: 8 },
          { id: 3, name: 'bird', color: '#00ff00', sortOrder: 2, hotkey: 3, imageCount: 0 },
        ],
      },
    });
    const text = (id: string) => wrapper.get(`[data-testid="${id}"]`).text();
    expect([text('project-name'), text('count-total'), text('count-labelled'), text('count-unlabelled'), text('count-missing')]).toEqual(['pets', '30', '20', '10', '2']);
    expect(text('class-count-cat')).toBe('cat12');
    expect(text('class-count-bird')).toBe('bird0');
    expect(wrapper.get('[data-testid="class-count-dog"] .swatch').attributes('style')).toContain('background: #0000ff');
    expect(wrapper.get('.label-bar').attributes('aria-label')).toBe('67% of the images are labelled');
  });

  it('explains how to get classes when there are none', () => {
    const wrapper = mount(LibraryStats, {
      props: { project: { dir: '/p', name: 'p', schemaVersion: 3, createdAt: '' }, counts: null, classes: [] },
    });
    expect(wrapper.get('[data-testid="count-total"]').text()).toBe('0');
    expect(wrapper.text()).toContain('No classes yet');
  });
});
