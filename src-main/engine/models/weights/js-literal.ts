/** A value a JS object literal can hold once parsed: JSON's values. */
export type LiteralValue = null | boolean | number | string | LiteralValue[] | { [key: string]: LiteralValue };

/**
 * Parses one JavaScript object/array literal starting at `start` — the minified kind bundlers
 * emit (`{a:!0,b:.5,"c":[1,null]}`) — without evaluating any code. Returns the value and the
 * index after it. Throws on anything outside plain literals.
 */
export function parseJsLiteral(text: string, start = 0): { value: LiteralValue; end: number } {
  let i = start;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${i}: ${JSON.stringify(text.slice(i, i + 20))}`);
  };
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) i += 1;
  };
  const readString = (): string => {
    const quote = text[i] as string;
    i += 1;
    // Fast path for long escape-free strings (the base64 shards are megabytes long).
    const close = text.indexOf(quote, i);
    if (close >= 0 && !text.slice(i, close).includes('\\')) {
      const plain = text.slice(i, close);
      i = close + 1;
      return plain;
    }
    let out = '';
    while (i < text.length && text[i] !== quote) {
      const c = text[i] as string;
      if (c !== '\\') {
        out += c;
        i += 1;
        continue;
      }
      const e = text[i + 1];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };
      if (e === 'u' || e === 'x') {
        const len = e === 'u' ? 4 : 2;
        const hex = text.slice(i + 2, i + 2 + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) fail('Bad escape');
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2 + len;
      } else {
        out += simple[e ?? ''] ?? e ?? '';
        i += 2;
      }
    }
    if (i >= text.length) fail('Unterminated string');
    i += 1;
    return out;
  };
  const readNumber = (): number => {
    const match = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 40));
    if (!match) return fail('Bad number');
    i += match[0].length;
    return Number(match[0]);
  };
  const readKey = (): string => {
    const c = text[i];
    if (c === '"' || c === "'") return readString();
    const match = /^[A-Za-z_$][\w$]*|^\d+/.exec(text.slice(i, i + 200));
    if (!match) return fail('Bad key');
    i += match[0].length;
    return match[0];
  };
  const words: [string, LiteralValue][] = [['!0', true], ['!1', false], ['true', true], ['false', false], ['null', null], ['void 0', null]];
  const readValue = (): LiteralValue => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      i += 1;
      const obj: { [key: string]: LiteralValue } = {};
      for (;;) {
        skipSpace();
        if (text[i] === '}') break;
        const key = readKey();
        skipSpace();
        if (text[i] !== ':') fail('Expected ":"');
        i += 1;
        obj[key] = readValue();
        skipSpace();
        if (text[i] === ',') i += 1;
        else if (text[i] !== '}') fail('Expected "," or "}"');
      }
      i += 1;
      return obj;
    }
    if (c === '[') {
      i += 1;
      const arr: LiteralValue[] = [];
      for (;;) {
        skipSpace();
        if (text[i] === ']') break;
        arr.push(readValue());
        skipSpace();
        if (text[i] === ',') i += 1;
        else if (text[i] !== ']') fail('Expected "," or "]"');
      }
      i += 1;
      return arr;
    }
    if (c === '"' || c === "'") return readString();
    for (const [word, value] of words) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    return readNumber();
  };
  const value = readValue();
  return { value, end: i };
}
