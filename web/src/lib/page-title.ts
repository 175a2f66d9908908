import { createEffect } from 'solid-js';
import { type MessageKey, t } from '../i18n';

/** Names the page in the browser tab and for screen readers announcing the navigation. */
export function usePageTitle(key: MessageKey): void {
  createEffect(() => {
    document.title = t('app.pageTitle', { page: t(key) });
  });
}
