import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { setApiClient } from '../api/use-api';
import { fakeApi } from '../test-support/fake-api';
import type { ClassInfo } from '../../../src-main/api/types/library';
import type { ImportSummary } from '../../../src-main/api/types/import';
import ImportResult from './ImportResult.vue';

const base: ImportSummary = {
  folder: '/photos',
  runId: 3,
  added: 40,
  updated: 2,
  unchanged: 100,
  relinked: 5,
  missing: 1,
  duplicates: [{ path: '/photos/dogs/copy.jpg', duplicateOf: '/photos/dogs/rex.jpg' }],
  conflicts: [],
  skipped: [
    { path: '/photos/cats/broken.jpg', reason: 'Not a readable image' },
    { path: '/photos/notes.txt', reason: 'Not an image file' },
  ],
  classes: { dogs: 25, cats: 15 },
  cancelled: false,
  seconds: 4.2,
  imagesPerSecond: 35.7,
};

describe('ImportResult', () => {
  it('shows every figure, the classes and the skipped files with their reasons', () => {
    const wrapper = mount(ImportResult, { props: { summary: base } });
    const figure = (key: string) => wrapper.get(`[data-testid="import-count-${key}"] dd`).text();
    expect([figure('added'), figure('updated'), figure('unchanged'), figure('relinked'), figure('missing'), figure('duplicates'), figure('skipped')]).toEqual(
      ['40', '2', '100', '5', '1', '1', '2'],
    );
    expect(wrapper.get('[data-testid="import-classes"]').text()).toMatch(/dogs → 25\s*cats → 15/);
    const skipped = wrapper.get('[data-testid="import-skipped"]');
    expect(skipped.find('summary').text()).toBe('Skipped files (2)');
    const rows = skipped.findAll('li').map((li) => li.text());
    expect(rows).toEqual(['cats/broken.jpgNot a readable image', 'notes.txtNot an image file']);
    expect(skipped.get('li code').attributes('title')).toBe('/photos/cats/broken.jpg');
    expect(wrapper.get('[data-testid="import-duplicates"]').text()).toContain('same as dogs/rex.jpg');
    expect(wrapper.text()).toContain('Import finished');
    expect(wrapper.find('[data-testid="import-cancelled"]').exists()).toBe(false);
  });

  it('caps long lists at 200 rows and says how many more', () => {
    const skipped = Array.from({ length: 250 }, (_, i) => ({ path: `/photos/bad${i}.jpg`, reason: 'Not a readable image' }));
    const wrapper = mount(ImportResult, { props: { summary: { ...base, skipped } } });
    const list = wrapper.get('[data-testid="import-skipped"]');
    expect(list.findAll('li')).toHaveLength(200);
    expect(list.text()).toContain('… and 50 more');
  });

  it('says a cancelled import kept what it imported', () => {
    const wrapper = mount(ImportResult, { props: { summary: { ...base, cancelled: true } } });
    expect(wrapper.text()).toContain('Import cancelled');
    expect(wrapper.get('[data-testid="import-cancelled"]').text()).toContain('What was imported before the cancel is kept');
  });

  it('lists a label conflict with both paths and classes, and labels the photo with the class the user picks', async () => {
    const conflicts = [
      {
        path: '/photos/cats/tabby.jpg',
        imageId: 7,
        copies: [
          { path: '/photos/cats/tabby.jpg', className: 'cats' },
          { path: '/photos/dogs/tabby-copy.jpg', className: 'dogs' },
        ],
        label: null,
      },
    ];
    // Only the id and the name matter here.
    const classes = [{ id: 4, name: 'cats', color: '#4e79a7', sortOrder: 0, imageCount: 15 } as ClassInfo];
    const api = fakeApi({
      'classes.list': () => classes,
      'classes.create': ({ name }) => ({ classId: 9, imagesChanged: 0, undo: { canUndo: true, canRedo: false, undoSummary: `create class "${name}"`, redoSummary: null } }),
      'labels.assign': () => ({ changed: 1, unknown: 0, undo: { canUndo: true, canRedo: false, undoSummary: null, redoSummary: null } }),
    });
    setApiClient(api);
    const wrapper = mount(ImportResult, { props: { summary: { ...base, conflicts } } });
    expect(wrapper.get('[data-testid="import-count-conflicts"] dd').text()).toBe('1');
    const row = wrapper.get('[data-testid="import-conflict"]');
    expect(row.text()).toContain('cats/tabby.jpg→ cats');
    expect(row.text()).toContain('dogs/tabby-copy.jpg→ dogs');

    await row.get('[data-testid="conflict-choose-dogs"]').trigger('click');
    await flushPromises();
    // "dogs" did not exist yet: created, then assigned.
    expect(api.calls.map((c) => c.name)).toEqual(['classes.list', 'classes.create', 'labels.assign']);
    expect(api.calls[2]!.params).toEqual({ imageIds: [7], classId: 9 });
    expect(wrapper.get('[data-testid="import-conflict"]').text()).toContain('Labelled dogs');
  });
});
