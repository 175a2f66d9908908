import { For } from 'solid-js';
import { type MessageKey } from '../../i18n';
import { t } from '../messages';

export interface ShortcutHelp {
  keys: string[];
  label: MessageKey;
}

/** The queue's keyboard shortcuts, listed where the person works. */
export function Shortcuts(props: { items: ShortcutHelp[] }) {
  return (
    <section class="shortcuts" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title" class="shortcuts__title">
        {t('queue.shortcuts.title')}
      </h2>
      <dl class="shortcuts__list">
        <div>
          <dt>
            <kbd>j</kbd> / <kbd>↓</kbd>
          </dt>
          <dd>{t('queue.shortcuts.next')}</dd>
        </div>
        <div>
          <dt>
            <kbd>k</kbd> / <kbd>↑</kbd>
          </dt>
          <dd>{t('queue.shortcuts.previous')}</dd>
        </div>
        <For each={props.items}>
          {(item) => (
            <div>
              <dt>
                <For each={item.keys}>{(key) => <kbd>{key}</kbd>}</For>
              </dt>
              <dd>{t(item.label)}</dd>
            </div>
          )}
        </For>
        <div>
          <dt>
            <kbd>Esc</kbd>
          </dt>
          <dd>{t('queue.shortcuts.cancel')}</dd>
        </div>
      </dl>
      <p class="shortcuts__note">{t('queue.shortcuts.note')}</p>
    </section>
  );
}
