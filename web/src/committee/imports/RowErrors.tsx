import { For, Show, createSignal } from 'solid-js';
import { spreadsheetSafe } from '../../../../api/http/csv';
import { formatNumber } from '../../i18n';
import { t } from '../messages';
import type { ImportDetail, RowError } from './api';

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The error report as a CSV file (with a BOM, so spreadsheet programs read it as UTF-8). */
export function errorReportCsv(errors: RowError[]): string {
  const lines = ['line,problem', ...errors.map((e) => `${e.line},${csvCell(spreadsheetSafe(e.message))}`)];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function errorReportText(errors: RowError[]): string {
  return errors.map((e) => `${e.line}\t${e.message}`).join('\n');
}

/** The rows the import refused, by line number, to fix in the file and upload again. */
export function RowErrors(props: { result: ImportDetail }) {
  const [copied, setCopied] = createSignal<string>('');
  const fileName = () => `${props.result.fileName.replace(/\.csv$/i, '')}-errors.csv`;
  const href = () => `data:text/csv;charset=utf-8,${encodeURIComponent(errorReportCsv(props.result.errors))}`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(errorReportText(props.result.errors));
      setCopied(t('imports.errors.copied'));
    } catch {
      setCopied(t('imports.errors.copyFailed'));
    }
  }

  return (
    <section class="row-errors" aria-labelledby="row-errors-title">
      <h3 id="row-errors-title">{t('imports.errors.title', { count: formatNumber(props.result.errorCount) })}</h3>
      <Show when={props.result.errorCount > props.result.errors.length}>
        <p class="notice">{t('imports.errors.truncated', { shown: formatNumber(props.result.errors.length) })}</p>
      </Show>
      <div class="actions row-errors__actions">
        <a class="button button--small" href={href()} download={fileName()}>
          {t('imports.errors.download')}
        </a>
        <button type="button" class="button button--small" onClick={() => void copy()}>
          {t('imports.errors.copy')}
        </button>
      </div>
      <p role="status" class="row-errors__copied">
        {copied()}
      </p>
      <div class="table-wrap">
        <table class="table">
          <caption class="visually-hidden">{t('imports.errors.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                {t('imports.errors.line')}
              </th>
              <th scope="col">{t('imports.errors.problem')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.result.errors}>
              {(error) => (
                <tr>
                  <td class="num">{error.line}</td>
                  <td>{error.message}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}
