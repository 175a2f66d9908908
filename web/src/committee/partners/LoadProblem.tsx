import { errorWords } from '../../api/error-words';
import { t } from './messages';

/** Part of a page that could not load, in words, with a way to ask again. */
export function LoadProblem(props: { error: unknown; onRetry: () => void }) {
  return (
    <div class="admin-problem" role="alert">
      <p>{errorWords(props.error).message}</p>
      <button type="button" class="button button--small" onClick={() => props.onRetry()}>
        {t('action.retry')}
      </button>
    </div>
  );
}
