import { revalidate } from '@solidjs/router';
import { errorWords } from '../api/error-words';
import { t } from './messages';

/**
 * A part of a page that could not load, in words, with a way to ask again. `keys` are the
 * queries to refetch before `reset` redraws the part.
 */
export function SectionError(props: { error: unknown; keys: string[]; reset: () => void }) {
  const words = () => errorWords(props.error);
  return (
    <div class="shop-alert" role="alert">
      <p>{words().message}</p>
      <button
        type="button"
        class="button button--small"
        onClick={async () => {
          await revalidate(props.keys);
          props.reset();
        }}
      >
        {t('action.retry')}
      </button>
    </div>
  );
}
