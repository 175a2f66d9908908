import { errorWords } from '../api/error-words';
import { t } from '../i18n';

/** A page that could not be shown, in words, with a way to try again. */
export function PageError(props: { error: unknown; onRetry: () => void }) {
  const words = () => errorWords(props.error);
  return (
    <section class="panel page-error" role="alert">
      <h1>{t('error.pageTitle')}</h1>
      <p>{words().message}</p>
      <button type="button" class="button button--primary" onClick={() => props.onRetry()}>
        {t('error.tryAgain')}
      </button>
    </section>
  );
}
