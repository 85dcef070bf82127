import { describe, expect, it } from 'vitest';
import { capList, formatDuration, formatPercent, formatRate, joinPath, relativeTo } from './format';

describe('format', () => {
  it('formats durations as m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3599.6)).toBe('1:00:00');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('formats rates and percentages', () => {
    expect(formatRate(3.14)).toBe('3.1');
    expect(formatRate(42.6)).toBe('43');
    expect(formatPercent(1, 3)).toBe('33%');
    expect(formatPercent(1, 400)).toBe('0.3%');
    expect(formatPercent(1, 0)).toBe('0%');
  });

  it('caps lists', () => {
    expect(capList([1, 2, 3], 2)).toEqual({ shown: [1, 2], more: 1 });
    expect(capList([1], 2)).toEqual({ shown: [1], more: 0 });
  });

  it('joins and relativises paths on either separator', () => {
    expect(joinPath('/p', 'labels.csv')).toBe('/p/labels.csv');
    expect(joinPath('/p/', 'labels.csv')).toBe('/p/labels.csv');
    expect(joinPath('C:\\p', 'labels.csv')).toBe('C:\\p\\labels.csv');
    expect(relativeTo('/photos', '/photos/cats/a.jpg')).toBe('cats/a.jpg');
    expect(relativeTo('/photos/', '/photos/a.jpg')).toBe('a.jpg');
    expect(relativeTo('/photos', '/photos2/a.jpg')).toBe('/photos2/a.jpg');
    expect(relativeTo('C:\\photos', 'C:\\photos\\a.jpg')).toBe('a.jpg');
  });
});
