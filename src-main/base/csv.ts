/** Quotes one CSV field when it needs it (RFC 4180: comma, quote, CR or LF inside). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Joins fields into one CSV line (no line ending). */
export function csvRow(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

/** Where a CSV stopped making sense. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
  }
}

/**
 * Parses RFC 4180 CSV: quoted fields with doubled quotes, commas and line breaks inside
 * quotes, CRLF or LF line endings, a leading byte-order mark. Blank lines are dropped.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(field);
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
    field = '';
    afterQuote = false;
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === ',') {
      row.push(field);
      field = '';
      afterQuote = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
    } else if (ch === '"' && field === '' && !afterQuote) {
      quoted = true;
    } else if (afterQuote) {
      throw new CsvSyntaxError('Unexpected text after a closing quote', line);
    } else {
      field += ch;
    }
  }
  if (quoted) throw new CsvSyntaxError('A quoted field is not closed', line);
  if (field !== '' || row.length > 0 || afterQuote) endRow();
  return rows;
}
