// Reading staged files the way COPY INTO does: CSV with Snowflake's file format options
// (delimiters, optional enclosure, escapes, header lines, NULL_IF, EMPTY_FIELD_AS_NULL) and JSON
// (one document, NDJSON, or an outer array to strip). Pure: text in, records out.

/** A record read from a file: its fields (null for SQL NULL) and where it started. */
export interface FileRecord {
  fields: (string | null)[];
  /** 1-based line of the file where the record starts. */
  line: number;
}

/** CSV options after defaults, as COPY uses them. */
export interface CsvOptions {
  fieldDelimiter: string;
  recordDelimiter: string;
  skipHeader: number;
  enclosedBy: string | null;
  escape: string | null;
  escapeUnenclosed: string | null;
  nullIf: string[];
  emptyFieldAsNull: boolean;
  trimSpace: boolean;
  skipBlankLines: boolean;
}

/** Snowflake's CSV defaults overridden by format options (keys upper case, values as written). */
export function csvOptions(options: Record<string, string>): CsvOptions {
  const none = (value: string | undefined): string | null => (value === undefined || value.toUpperCase() === 'NONE' || value === '' ? null : unescapeOption(value));
  const bool = (value: string | undefined, fallback: boolean): boolean => (value === undefined ? fallback : /^(TRUE|1|YES)$/i.test(value));
  const nullIf = options.NULL_IF === undefined ? ['\\N'] : parseList(options.NULL_IF);
  return {
    fieldDelimiter: none(options.FIELD_DELIMITER) ?? ',',
    recordDelimiter: none(options.RECORD_DELIMITER) ?? '\n',
    skipHeader: Number(options.SKIP_HEADER ?? 0) || 0,
    enclosedBy: none(options.FIELD_OPTIONALLY_ENCLOSED_BY),
    escape: none(options.ESCAPE),
    escapeUnenclosed: options.ESCAPE_UNENCLOSED_FIELD === undefined ? '\\' : none(options.ESCAPE_UNENCLOSED_FIELD),
    nullIf,
    emptyFieldAsNull: bool(options.EMPTY_FIELD_AS_NULL, true),
    trimSpace: bool(options.TRIM_SPACE, false),
    skipBlankLines: bool(options.SKIP_BLANK_LINES, false),
  };
}

/** Option text such as '\\t' or '0x7C' as the characters it stands for. */
function unescapeOption(value: string): string {
  if (/^0x[0-9a-f]+$/i.test(value)) return String.fromCharCode(parseInt(value.slice(2), 16));
  return value.replace(/\\(t|n|r|\\|')/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\', "'": "'" })[c]!);
}

/** A stored list option ('["a","b"]' or 'a') as values. */
export function parseList(value: string): string[] {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // a plain value
  }
  return [value];
}

/** Splits CSV text into records. */
export function parseCsv(text: string, options: CsvOptions): FileRecord[] {
  const records: FileRecord[] = [];
  const { fieldDelimiter, enclosedBy, escape, escapeUnenclosed } = options;
  const recordDelimiter = options.recordDelimiter;
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: (string | null)[] = [];
    let blank = true;
    for (;;) {
      let value = '';
      let enclosed = false;
      // Leading spaces before an enclosure are allowed when trimming.
      let j = i;
      if (options.trimSpace) while (text[j] === ' ' || text[j] === '\t') j++;
      if (enclosedBy && text.startsWith(enclosedBy, j)) {
        enclosed = true;
        blank = false;
        i = j + enclosedBy.length;
        for (;;) {
          if (i >= n) break;
          if (escape && text.startsWith(escape, i) && escape !== enclosedBy) {
            value += text[i + escape.length] ?? '';
            i += escape.length + 1;
            continue;
          }
          if (text.startsWith(enclosedBy, i)) {
            if (text.startsWith(enclosedBy, i + enclosedBy.length)) {
              value += enclosedBy;
              i += enclosedBy.length * 2;
              continue;
            }
            i += enclosedBy.length;
            break;
          }
          if (text[i] === '\n') line++;
          value += text[i];
          i++;
        }
        if (options.trimSpace) while (text[i] === ' ' || text[i] === '\t') i++;
      } else {
        while (i < n && !text.startsWith(fieldDelimiter, i) && !text.startsWith(recordDelimiter, i) && !(recordDelimiter === '\n' && text.startsWith('\r\n', i))) {
          if (escapeUnenclosed && text.startsWith(escapeUnenclosed, i) && i + escapeUnenclosed.length < n) {
            const next = text[i + escapeUnenclosed.length]!;
            value += next === 'N' && escapeUnenclosed === '\\' ? '\\N' : next === 'n' ? '\n' : next === 't' ? '\t' : next;
            i += escapeUnenclosed.length + 1;
            continue;
          }
          value += text[i];
          i++;
        }
        if (value !== '') blank = false;
        if (options.trimSpace) value = value.trim();
      }
      fields.push(fieldValue(value, enclosed, options));
      if (text.startsWith(fieldDelimiter, i)) {
        i += fieldDelimiter.length;
        blank = false;
        continue;
      }
      break;
    }
    if (recordDelimiter === '\n' && text.startsWith('\r\n', i)) i += 2;
    else if (text.startsWith(recordDelimiter, i)) i += recordDelimiter.length;
    if (recordDelimiter.includes('\n')) line++;
    const emptyLine = blank && fields.length === 1;
    if (emptyLine && (options.skipBlankLines || i >= n)) continue;
    records.push({ fields, line: startLine });
  }
  return records.slice(options.skipHeader);
}

function fieldValue(value: string, enclosed: boolean, options: CsvOptions): string | null {
  if (options.nullIf.includes(value)) return null;
  if (!enclosed && value === '' && options.emptyFieldAsNull) return null;
  return value;
}

/** Splits JSON text into documents: one per line (NDJSON), or one, or an outer array's elements. */
export function parseJsonDocuments(text: string, stripOuterArray: boolean): FileRecord[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  try {
    const whole = JSON.parse(trimmed) as unknown;
    if (stripOuterArray && Array.isArray(whole)) return whole.map((item, k) => ({ fields: [JSON.stringify(item)], line: k + 1 }));
    return [{ fields: [JSON.stringify(whole)], line: 1 }];
  } catch {
    // not one document: read line by line
  }
  const records: FileRecord[] = [];
  text.split(/\r?\n/).forEach((line, k) => {
    if (line.trim()) records.push({ fields: [line.trim()], line: k + 1 });
  });
  return records;
}
