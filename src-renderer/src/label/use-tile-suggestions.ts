import { shallowRef } from 'vue';
import type { Suggestion } from '../../../src-main/api/types/predict';
import type { ApiClient } from '../api/api-client';

/**
 * The stored suggestions of the tiles on screen, read a screenful at a time
 * (`suggestions.list` for the ids not asked yet) and forgotten when the library changes.
 */
export function useTileSuggestions(api: ApiClient, visibleIds: () => readonly number[]) {
  const byId = shallowRef<ReadonlyMap<number, Suggestion>>(new Map());
  let asked = new Set<number>();
  let generation = 0;

  /** Reads the suggestions of visible tiles not asked about yet. */
  async function load(): Promise<void> {
    const ids = visibleIds().filter((id) => !asked.has(id));
    if (ids.length === 0) return;
    for (const id of ids) asked.add(id);
    const mine = generation;
    try {
      const found = await api.call('suggestions.list', { imageIds: ids });
      if (mine !== generation || found.length === 0) return;
      const next = new Map(byId.value);
      for (const suggestion of found) next.set(suggestion.imageId, suggestion);
      byId.value = next;
    } catch {
      // Tiles without suggestions are still usable; the next scroll or change asks again.
      if (mine === generation) for (const id of ids) asked.delete(id);
    }
  }

  /** Forgets everything (labels, suggestions or classes changed) and reads the visible tiles again. */
  async function reset(): Promise<void> {
    generation++;
    asked = new Set();
    const mine = generation;
    const ids = visibleIds();
    if (ids.length === 0) {
      byId.value = new Map();
      return;
    }
    for (const id of ids) asked.add(id);
    try {
      const found = await api.call('suggestions.list', { imageIds: [...ids] });
      if (mine === generation) byId.value = new Map(found.map((s) => [s.imageId, s]));
    } catch {
      if (mine === generation) {
        asked = new Set();
        byId.value = new Map();
      }
    }
  }

  /** The suggestion a tile shows: pending, and differing from the image's label if it has one. */
  function shown(imageId: number, classId: number | null): Suggestion | null {
    const suggestion = byId.value.get(imageId);
    if (!suggestion || suggestion.status !== 'pending') return null;
    if (classId !== null && suggestion.classId === classId) return null;
    return suggestion;
  }

  return { byId, load, reset, shown };
}
