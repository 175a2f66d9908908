import { A } from '@solidjs/router';
import { t } from '../i18n';

/** The Milepost name and mark, linking home. The mark is inline so nothing is fetched. */
export function Brand() {
  return (
    <A href="/" class="brand" end>
      <svg class="brand__mark" viewBox="0 0 32 32" aria-hidden="true">
        <rect class="brand__mark-bg" width="32" height="32" rx="8" />
        <path
          class="brand__mark-ink"
          d="M9 24V8h4l3 7 3-7h4v16h-3.5v-9.5L16.8 21h-1.6L12.5 14.5V24z"
        />
      </svg>
      <span class="brand__name">{t('app.name')}</span>
    </A>
  );
}
