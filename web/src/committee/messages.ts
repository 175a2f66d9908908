import { defineMessages, registerMessages } from '../i18n';
import { importMessages } from './imports/messages';
import { ratingMessages } from './rating/messages';
import { queueMessages } from './queues/messages';
import { ruleMessages } from './rules/messages';

/** The console's queues, imports and rule editors: each part keeps its words beside its pages. */
export const committeeMessages = defineMessages(
  { ...queueMessages.en, ...importMessages.en, ...ruleMessages.en, ...ratingMessages.en },
  {
    ...queueMessages['zh-CN'],
    ...importMessages['zh-CN'],
    ...ruleMessages['zh-CN'],
    ...ratingMessages['zh-CN'],
  },
);
registerMessages(committeeMessages);

// Pages of this area import `t` from here, so its words are registered before they render.
export { t } from '../i18n';
