import type { insightMessages } from '../committee/insight/messages';
import type { committeeMessages } from '../committee/messages';
import type { partnersAdminMessages } from '../committee/partners/messages';
import type { driverMessages } from '../driver/messages';
import type { earnMessages } from '../earn/messages';
import type { partnerMessages } from '../partner/messages';
import { commonMessages } from './common';
import { type KeysOf, registerMessages, translate } from './core';

export {
  defineMessages,
  isLanguage,
  language,
  languageNames,
  languages,
  registerMessages,
  setLanguage,
  type Language,
} from './core';
export { formatDate, formatDateTime, formatMoney, formatNumber, formatPoints } from './format';

/** Every message key of every area; `t` accepts only these. */
export type MessageKey =
  | KeysOf<typeof commonMessages>
  | KeysOf<typeof driverMessages>
  | KeysOf<typeof earnMessages>
  | KeysOf<typeof partnerMessages>
  | KeysOf<typeof committeeMessages>
  | KeysOf<typeof partnersAdminMessages>
  | KeysOf<typeof insightMessages>;

registerMessages(commonMessages);

/** The text for `key` in the chosen language. Reactive: read inside JSX it follows a switch. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(key, params);
}
