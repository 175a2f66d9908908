/** A plain decimal number: a spreadsheet reads it as a number, never as a formula. */
const NUMBER = /^[-+]?\d+(\.\d+)?$/;
/** What spreadsheet programs start a formula (or a DDE call) with: OWASP's CSV injection list. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell for a CSV export that a person may open in Excel, WPS or LibreOffice: text that would
 * start a formula gets a leading `'` so it shows as typed; numbers such as "-20.00" stay numbers.
 */
export function spreadsheetSafe(cell: string): string {
  return FORMULA_START.test(cell) && !NUMBER.test(cell) ? `'${cell}` : cell;
}
