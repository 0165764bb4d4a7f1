/**
 * RFC 4180 CSV as people save it: quoted fields with "" for a quote, any
 * line ending, blank lines ignored. A malformed file is refused with the
 * line to fix (caption files and label files both read through here).
 */
import { StudioError } from '../../errors.js';

export interface CsvRow {
  cells: string[];
  line: number;
}

export const refuse = (where: string, line: number, why: string) => new StudioError(`${where} line ${line}: ${why}; nothing was imported`, 'INVALID_INPUT');

/** The non-empty rows of a CSV, each with the line it starts on. */
export function csvRows(where: string, text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let wasQuoted = false;
  const endCell = () => {
    cells.push(wasQuoted ? cell : cell.trim());
    cell = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endCell();
    if (cells.length > 1 || cells[0] !== '') rows.push({ cells, line: rowLine });
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"') {
      if (cell.trim() !== '') throw refuse(where, line, 'a quote inside an unquoted field (quote the whole field and double the quote)');
      quoted = true;
      wasQuoted = true;
      quoteLine = line;
      cell = '';
    } else if (ch === ',') {
      endCell();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      if (wasQuoted) throw refuse(where, line, 'text after a closing quote');
      cell += ch;
    }
  }
  if (quoted) throw refuse(where, quoteLine, 'a quoted field is never closed');
  if (cell !== '' || cells.length > 0) endRow();
  if (rows.length === 0) throw new StudioError(`${where} is empty; nothing was imported`, 'INVALID_INPUT');
  return rows;
}
