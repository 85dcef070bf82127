import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { ClassInfo, ImageListItem } from '../../../src-main/api/types/library';
import ImageViewer from './ImageViewer.vue';

const item = (width: number, height: number): ImageListItem => ({
  id: 7,
  path: '/photos/big.png',
  fileName: 'big.png',
  width,
  height,
  format: 'png',
  classId: 111,
  split: null,
  pinned: false,
  missing: false,
  thumbUrl: '/media/thumb/7?size=256',
  displayUrl: '/media/display/7',
  originalUrl: '/media/original/7',
});
const classes: ClassInfo[] = Array.from({ length: 11 }, (_, i) => ({ id: 101 + i, name: `class ${i + 1}`, color: '#336699', sortOrder: i, hotkey: i < 9 ? i + 1 : null, imageCount: 0 }));

function mountViewer(width: number, height: number) {
  return mount(ImageViewer, { props: { item: item(width, height), index: 0, total: 1, classes, autoAdvance: true }, attachTo: document.body });
}

describe('ImageViewer', () => {
  it('shows the display copy, and the original only when asked', async () => {
    const viewer = mountViewer(12_000, 9_000);
    expect(viewer.get('[data-testid="viewer-image"]').attributes('src')).toBe('/media/display/7');
    expect(viewer.get('[data-testid="viewer-resolution"]').text()).toBe('12000×9000 · shown at 2048 px');
    await viewer.get('[data-testid="viewer-full-resolution"]').trigger('click');
    expect(viewer.get('[data-testid="viewer-image"]').attributes('src')).toBe('/media/original/7');
    expect(viewer.get('[data-testid="viewer-full-resolution"]').text()).toBe('Loading original…');
    viewer.unmount();
  });

  it('has no full-resolution button for a photo the display copy already shows whole, nor for a TIFF', async () => {
    const viewer = mountViewer(1600, 1200);
    expect(viewer.find('[data-testid="viewer-full-resolution"]').exists()).toBe(false);
    await viewer.setProps({ item: { ...item(9000, 6000), format: 'tiff' } });
    expect(viewer.find('[data-testid="viewer-full-resolution"]').exists()).toBe(false);
    viewer.unmount();
  });

  it('offers every class, the ones without a key included, and the picker', async () => {
    const viewer = mountViewer(800, 600);
    const buttons = viewer.findAll('[data-testid="viewer-class"]');
    expect(buttons).toHaveLength(11);
    expect(buttons[10]!.text()).toBe('class 11');
    expect(buttons[0]!.text().replace(/\s+/g, ' ')).toBe('1 class 1');
    await buttons[10]!.trigger('click');
    expect(viewer.emitted('assign')).toEqual([[111]]);
    expect(buttons[10]!.classes()).toContain('active');
    await viewer.findAll('button').find((b) => b.text().includes('Pick…'))!.trigger('click');
    expect(viewer.emitted('pick')).toHaveLength(1);
    viewer.unmount();
  });

  it('zooms in and back to the fit, never out past it', async () => {
    const viewer = mountViewer(4000, 3000);
    const zoom = () => viewer.get('[data-testid="viewer-zoom"]').text();
    await viewer.vm.$nextTick();
    const fitted = zoom();
    (viewer.vm as unknown as { zoomBy(f: number): void }).zoomBy(2);
    await viewer.vm.$nextTick();
    expect(parseInt(zoom(), 10)).toBe(parseInt(fitted, 10) * 2);
    (viewer.vm as unknown as { fit(): void }).fit();
    (viewer.vm as unknown as { zoomBy(f: number): void }).zoomBy(0.5);
    await viewer.vm.$nextTick();
    expect(zoom()).toBe(fitted);
    viewer.unmount();
  });
});
