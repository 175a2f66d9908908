import type { RouteSectionProps } from '@solidjs/router';
import { Suspense } from 'solid-js';
import { RequireRole } from '../components/RequireRole';
import { t } from '../i18n';
import { ConsoleNav } from './ConsoleNav';

/** The committee console: its menu beside the page, for committee members only. */
export default function ConsoleLayout(props: RouteSectionProps) {
  return (
    <RequireRole roles={['committee']}>
      <div class="console">
        <ConsoleNav />
        <div class="console__page">
          <Suspense fallback={<p class="loading">{t('app.loading')}</p>}>{props.children}</Suspense>
        </div>
      </div>
    </RequireRole>
  );
}
