/** Fetches the image ids at positions [from, to] (inclusive) of the current filter. */
export type IdsInRange = (from: number, to: number) => Promise<number[]>;

/** Modifier keys of a click or key press. */
export interface Modifiers {
  shift?: boolean;
  ctrl?: boolean;
}

/**
 * Selection over a filtered, virtualized image list: a set of image ids plus the focused
 * position and the anchor of a shift-range. Positions index the current filter; ids
 * survive re-filtering.
 */
export class GridSelection {
  selected = new Set<number>();
  focus = 0;
  anchor = 0;

  constructor(private readonly idsInRange: IdsInRange) {}

  /** Mouse click at a position: plain selects one, Ctrl toggles, Shift extends from the anchor. */
  async click(index: number, id: number, modifiers: Modifiers = {}): Promise<void> {
    if (modifiers.shift) {
      await this.extendTo(index, modifiers.ctrl === true);
      return;
    }
    if (modifiers.ctrl) {
      if (this.selected.has(id)) this.selected.delete(id);
      else this.selected.add(id);
    } else {
      this.selected = new Set([id]);
    }
    this.focus = index;
    this.anchor = index;
  }

  /** Keyboard move to a position (clamped by the caller): plain selects it, Shift extends. */
  async moveTo(index: number, id: number | null, modifiers: Modifiers = {}): Promise<void> {
    if (modifiers.shift) {
      await this.extendTo(index, false);
      return;
    }
    this.focus = index;
    this.anchor = index;
    if (!modifiers.ctrl) this.selected = id === null ? new Set() : new Set([id]);
  }

  /** Adds the focused image to the selection, or removes it (Ctrl+Space). */
  toggle(id: number): void {
    if (this.selected.has(id)) this.selected.delete(id);
    else this.selected.add(id);
    this.anchor = this.focus;
  }

  /** Selects every image of the current filter. */
  async selectAll(total: number): Promise<void> {
    this.selected = total > 0 ? new Set(await this.idsInRange(0, total - 1)) : new Set();
  }

  /** Clears the selection, keeping the focus. */
  clear(): void {
    this.selected = new Set();
  }

  /** After the list changed length (e.g. labelled images left an "unlabelled" filter). */
  clampTo(total: number): void {
    const last = Math.max(0, total - 1);
    this.focus = Math.min(this.focus, last);
    this.anchor = Math.min(this.anchor, last);
  }

  /** The ids to act on: the selection, or the focused image when nothing is selected. */
  targets(focusedId: number | null): number[] {
    if (this.selected.size > 0) return [...this.selected];
    return focusedId === null ? [] : [focusedId];
  }

  private async extendTo(index: number, keepExisting: boolean): Promise<void> {
    const [from, to] = this.anchor <= index ? [this.anchor, index] : [index, this.anchor];
    const ids = await this.idsInRange(from, to);
    this.selected = keepExisting ? new Set([...this.selected, ...ids]) : new Set(ids);
    this.focus = index;
  }
}
