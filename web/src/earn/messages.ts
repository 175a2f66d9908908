import { defineMessages, registerMessages } from '../i18n';

const en = {} as const;

const zhCN: Record<keyof typeof en, string> = {};

export const earnMessages = defineMessages(en, zhCN);
registerMessages(earnMessages);

// Pages of this area import `t` from here, so its words are registered before they render.
export { t } from '../i18n';
