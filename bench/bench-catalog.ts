/** The benchmarks in bench/: found by file name, described by their own doc comments. */
import fs from 'node:fs';
import path from 'node:path';

/** One benchmark file and what `npm run bench` knows of it. */
export interface Bench {
  /** The file name without `-bench.ts`, e.g. `import` for import-bench.ts. */
  name: string;
  file: string;
  /** The first sentence of the file's leading doc comment. */
  description: string;
  /** Its usage line (`npx tsx bench/x-bench.ts [N=…]`), or null when the comment has none. */
  usage: string | null;
  /** Arguments of a quick run at small sizes, or null when it has no quick form (run it by name). */
  quick: string[] | null;
}

/**
 * Small sizes that finish in about a minute each on two busy cores; figures at these sizes say
 * whether a bench works and roughly where it stands, not what it would measure at full size.
 * A bench missing here still runs by name, at its own sizes.
 */
export const QUICK_ARGS: Readonly<Record<string, readonly string[]>> = {
  import: ['200', '--rounds', '1'],
  'import-rss': ['2000'],
  label: ['5000', '500'],
  embed: ['32'],
  'embed-e2e': ['64', '--threads', '1', '--batch', '16', '--no-torch'],
  'fine-tune': ['48', '1'],
  onnx: ['--arch', 'mobilenet_v2', '--seconds', '1', '--no-tfjs'],
  predict: ['48', '--tfjs-images', '16'],
  'train-cache': ['64', '2'],
  'train-quality': ['3', '20', '64', '10', '1'],
};

/** The leading `/** … *\/` comment of a source text, without its comment markers; null when it has none. */
export function leadingDocComment(source: string): string | null {
  const match = /^\s*\/\*\*([\s\S]*?)\*\//.exec(source);
  if (!match) return null;
  return match[1]!
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}

/** The first sentence of a comment, on one line: up to the first full stop that ends a word before a space or the end. */
export function firstSentence(comment: string): string {
  const text = comment.split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ').trim();
  for (const end of text.matchAll(/[.?!](?=\s|$)/g)) {
    // "e.g." and "i.e." do not end a sentence.
    if (!/\b(e\.g|i\.e|etc|vs)$/.test(text.slice(0, end.index))) return text.slice(0, end.index + 1);
  }
  return text;
}

/** The usage line a comment gives (`npx tsx bench/…`), without the command's own prefix. */
export function usageLine(comment: string): string | null {
  const line = comment.split('\n').find((l) => /^\s*npx tsx bench\//.test(l));
  return line ? line.trim() : null;
}

/** Every `*-bench.ts` in `dir`, sorted by name, with its description, usage and quick arguments. */
export function listBenches(dir: string): Bench[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('-bench.ts'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const comment = leadingDocComment(fs.readFileSync(file, 'utf8')) ?? '';
      const name = f.slice(0, -'-bench.ts'.length);
      return {
        name,
        file,
        description: comment ? firstSentence(comment) : '(no description: the file has no leading doc comment)',
        usage: usageLine(comment),
        quick: QUICK_ARGS[name] ? [...QUICK_ARGS[name]!] : null,
      };
    });
}

/** `text` cut at a word boundary to at most `width` characters, with an ellipsis when cut. */
export function clip(text: string, width: number): string {
  if (text.length <= width) return text;
  const cut = text.slice(0, width - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > width / 2 ? cut.slice(0, space) : cut).replace(/[,;:]$/, '')}…`;
}

/** The list `npm run bench` prints: each bench's name, its quick arguments and a one-line description. */
export function benchTable(benches: readonly Bench[], width = 110): string {
  const nameWidth = Math.max(...benches.map((b) => b.name.length));
  return benches
    .map((b) => {
      const quick = b.quick ? `quick: ${b.quick.join(' ') || '(its defaults)'}` : 'no quick run (npm run bench -- ' + b.name + ')';
      return [`  ${b.name.padEnd(nameWidth)}  ${clip(b.description, width - nameWidth - 4)}`, `  ${' '.repeat(nameWidth)}  ${quick}`].join('\n');
    })
    .join('\n');
}
