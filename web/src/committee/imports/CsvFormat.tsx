import { t } from '../messages';

/** What the attendance file must look like, as the import reads it. */
export function CsvFormat() {
  return (
    <section class="panel csv-format" aria-labelledby="csv-format-title">
      <h2 id="csv-format-title">{t('imports.format.title')}</h2>
      <p>{t('imports.format.intro')}</p>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('imports.format.column')}</th>
              <th scope="col">{t('imports.format.meaning')}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>
                <code>phone</code> / <code>driverId</code>
              </td>
              <td>{t('imports.format.driver')}</td>
            </tr>
            <tr>
              <td>
                <code>event</code>
              </td>
              <td>{t('imports.format.event')}</td>
            </tr>
            <tr>
              <td>
                <code>date</code>
              </td>
              <td>{t('imports.format.date')}</td>
            </tr>
            <tr>
              <td>
                <code>hours</code>
              </td>
              <td>{t('imports.format.hours')}</td>
            </tr>
            <tr>
              <td>
                <code>organiser</code>
              </td>
              <td>{t('imports.format.organiser')}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <p>{t('imports.format.rules')}</p>
      <p>{t('imports.format.example')}</p>
      <pre class="csv-format__example">
        <code>{'phone,event,date,hours,organiser\n13900000001,Exam day convoy,2026-06-07,4,Baoan Transport Association\n13900000002,Exam day convoy,2026-06-07,3.5,'}</code>
      </pre>
    </section>
  );
}
