import { describe, expect, it } from 'vitest';
import { CsvParser, CsvSyntaxError, parseCsv } from './csv';

const tricky = '\ufeffpath,label\r\n"a, ""b""\r\nc",x\r\n\r\nplain,"y"\n"q""",\r\nlast,z';

describe('CsvParser', () => {
  it('gives the same rows whichever way the text is cut into pieces', () => {
    const whole = parseCsv(tricky);
    expect(whole).toEqual([['path', 'label'], ['a, "b"\r\nc', 'x'], ['plain', 'y'], ['q"', ''], ['last', 'z']]);
    for (let cut = 0; cut <= tricky.length; cut++) {
      for (const size of [1, 2, 3]) {
        const parser = new CsvParser();
        const rows: string[][] = [];
        const pieces = [tricky.slice(0, cut), ...(tricky.slice(cut).match(new RegExp(`[^]{1,${size}}`, 'g')) ?? [])];
        for (const piece of pieces) rows.push(...parser.push(piece));
        rows.push(...parser.end());
        expect(rows, `cut at ${cut}, pieces of ${size}`).toEqual(whole);
      }
    }
  });

  it('reports unclosed quotes and text after a closing quote with their line', () => {
    const parser = new CsvParser();
    parser.push('a\n"open');
    expect(() => parser.end()).toThrow(CsvSyntaxError);
    expect(() => new CsvParser().push('ok\n"a"')).not.toThrow();
    const late = new CsvParser();
    late.push('ok\n"a"');
    expect(() => late.push('b')).toThrow(/after a closing quote \(line 2\)/);
  });
});
