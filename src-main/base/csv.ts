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
 * An RFC 4180 CSV parser fed in pieces (a file read in chunks): quoted fields with doubled
 * quotes, commas and line breaks inside quotes, CRLF or LF line endings, a leading byte-order
 * mark. Blank lines are dropped. Each `push` returns the rows it completed.
 */
export class CsvParser {
  private row: string[] = [];
  private field = '';
  private quoted = false;
  private afterQuote = false;
  /** A quote inside a quoted field whose meaning (escape or end) depends on the next character. */
  private quotePending = false;
  /** A CR just ended a row; an LF right after it belongs to it. */
  private crPending = false;
  private started = false;
  private line = 1;

  /** Parses the next piece of text; returns the rows completed by it. */
  push(text: string): string[][] {
    const rows: string[][] = [];
    let i = 0;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (this.crPending) {
        this.crPending = false;
        if (ch === '\n') continue;
      }
      if (this.quotePending) {
        this.quotePending = false;
        if (ch === '"') {
          this.field += '"';
          continue;
        }
        this.quoted = false;
        this.afterQuote = true;
      }
      if (this.quoted) {
        if (ch === '"') this.quotePending = true;
        else {
          if (ch === '\n') this.line++;
          this.field += ch;
        }
        continue;
      }
      if (ch === ',') {
        this.row.push(this.field);
        this.field = '';
        this.afterQuote = false;
      } else if (ch === '\n' || ch === '\r') {
        this.crPending = ch === '\r';
        this.endRow(rows);
        this.line++;
      } else if (ch === '"' && this.field === '' && !this.afterQuote) {
        this.quoted = true;
      } else if (this.afterQuote) {
        throw new CsvSyntaxError('Unexpected text after a closing quote', this.line);
      } else {
        this.field += ch;
      }
    }
    return rows;
  }

  /** Ends the input; returns the last row if it had no line ending. */
  end(): string[][] {
    if (this.quotePending) {
      this.quotePending = false;
      this.quoted = false;
      this.afterQuote = true;
    }
    if (this.quoted) throw new CsvSyntaxError('A quoted field is not closed', this.line);
    const rows: string[][] = [];
    if (this.field !== '' || this.row.length > 0 || this.afterQuote) this.endRow(rows);
    return rows;
  }

  private endRow(rows: string[][]): void {
    this.row.push(this.field);
    if (!(this.row.length === 1 && this.row[0] === '')) rows.push(this.row);
    this.row = [];
    this.field = '';
    this.afterQuote = false;
  }
}

/** Parses a whole CSV text (see `CsvParser`). */
export function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}
