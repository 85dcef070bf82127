import { describe, expect, it } from 'vitest';
import { array, bool, either, int, nothing, nullable, num, object, oneOf, optional, ParseError, positiveInt, str } from './parse';

describe('parse', () => {
  it('returns typed values and drops unknown fields', () => {
    const parser = object({ a: str(), b: optional(int({ min: 0 })), c: nullable(oneOf(['x', 'y'] as const)), d: array(bool) });
    expect(parser({ a: 's', c: null, d: [true], e: 'dropped' })).toEqual({ a: 's', c: null, d: [true] });
    expect(parser({ a: 's', b: 3, c: 'y', d: [] })).toEqual({ a: 's', b: 3, c: 'y', d: [] });
  });

  it('names the failing field in its message', () => {
    const parser = object({ list: array(object({ id: positiveInt() })) });
    expect(() => parser({ list: [{ id: 1 }, { id: 0 }] })).toThrow(new ParseError('list[1].id', 'a whole number ≥ 1'));
    expect(() => parser({ list: [{ id: 1 }, { id: 0 }] })).toThrow('"list[1].id" must be a whole number ≥ 1.');
  });

  it('refuses look-alikes: numeric strings, NaN, fractions, unsafe integers, prototypes', () => {
    expect(() => int()('1')).toThrow(ParseError);
    expect(() => int()(1.5)).toThrow(ParseError);
    expect(() => int()(2 ** 60)).toThrow(ParseError);
    expect(() => num()(Number.NaN)).toThrow(ParseError);
    expect(() => num({ max: 1 })(Infinity)).toThrow(ParseError);
    expect(() => str({ nonEmpty: true })('')).toThrow(ParseError);
    expect(() => str({ maxLength: 3 })('abcd')).toThrow(ParseError);
    expect(() => object({})(null)).toThrow(ParseError);
    expect(() => object({})([])).toThrow(ParseError);
    expect(() => oneOf(['a'])('toString')).toThrow(ParseError);
    expect(object({ toString: optional(str()) })({})).toEqual({});
  });

  it('either tries each parser and reports both choices', () => {
    const parser = either(bool, int(), 'true, false or a size');
    expect(parser(true)).toBe(true);
    expect(parser(256)).toBe(256);
    expect(() => parser('big', 'thumbnails')).toThrow('"thumbnails" must be true, false or a size.');
  });

  it('nothing accepts only an absent value', () => {
    expect(nothing(undefined)).toBeUndefined();
    expect(nothing(null)).toBeUndefined();
    expect(() => nothing({})).toThrow(ParseError);
  });

  it('bounds list length', () => {
    expect(() => array(int(), { maxItems: 2 })([1, 2, 3])).toThrow(ParseError);
    expect(() => array(int(), { minItems: 1 })([])).toThrow(ParseError);
  });
});
