import { A, useLocation } from '@solidjs/router';
import { t } from '../i18n';
import { usePageTitle } from '../lib/page-title';

export default function NotFound() {
  usePageTitle('notFound.title');
  const location = useLocation();
  return (
    <section class="panel">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body', { path: location.pathname })}</p>
      <A href="/" class="button button--primary">
        {t('notFound.home')}
      </A>
    </section>
  );
}
