import { describe, expect, it } from 'vitest';
import { alignNames, autoName, KerasAutoNamer, parseAutoName } from './keras-names';

describe('Keras automatic names', () => {
  it('counts from 1 under keras2 and from a bare name under keras3', () => {
    const k2 = new KerasAutoNamer('keras2');
    const k3 = new KerasAutoNamer('keras3');
    expect([k2.next('conv2d'), k2.next('conv2d'), k2.next('activation'), k2.input()]).toEqual(['conv2d_1', 'conv2d_2', 'activation_1', 'input_1']);
    expect([k3.next('conv2d'), k3.next('conv2d'), k3.next('activation'), k3.input()]).toEqual(['conv2d', 'conv2d_1', 'activation', 'input_layer']);
    expect(autoName('batch_normalization', 93, 'keras2')).toBe('batch_normalization_94');
  });

  it('parses names without confusing prefixes', () => {
    expect(parseAutoName('conv2d_94', ['conv2d'])).toEqual({ prefix: 'conv2d', number: 94 });
    expect(parseAutoName('conv2d', ['conv2d'])).toEqual({ prefix: 'conv2d', number: 0 });
    expect(parseAutoName('conv2d_transpose', ['conv2d'])).toBeNull();
    expect(parseAutoName('mixed9_0', ['conv2d'])).toBeNull();
  });
});

describe('alignNames', () => {
  it('maps Keras 3 names onto a Keras 2 file by rank within each prefix', () => {
    const ours = ['input_layer', 'conv2d', 'conv2d_1', 'batch_normalization', 'batch_normalization_1', 'mixed0', 'predictions'];
    const theirs = ['input_1', 'conv2d_1', 'conv2d_2', 'batch_normalization_1', 'batch_normalization_2', 'mixed0', 'predictions'];
    expect(Object.fromEntries(alignNames(ours, theirs))).toEqual({
      conv2d: 'conv2d_1',
      conv2d_1: 'conv2d_2',
      batch_normalization: 'batch_normalization_1',
      batch_normalization_1: 'batch_normalization_2',
      mixed0: 'mixed0',
      predictions: 'predictions',
    });
  });

  it('handles counters offset by models built earlier in the saving session, sorting numerically', () => {
    const ours = ['conv2d_1', 'conv2d_2', 'conv2d_10'];
    const theirs = ['conv2d_95', 'conv2d_104', 'conv2d_96'];
    expect(Object.fromEntries(alignNames(ours, theirs))).toEqual({ conv2d_1: 'conv2d_95', conv2d_2: 'conv2d_96', conv2d_10: 'conv2d_104' });
  });

  it('leaves out a prefix whose counts differ rather than guessing', () => {
    expect(alignNames(['conv2d_1', 'conv2d_2'], ['conv2d_1']).size).toBe(0);
  });
});
