import { defineMessages, registerMessages } from '../i18n';

const en = {} as const;

const zhCN: Record<keyof typeof en, string> = {};

export const partnerMessages = defineMessages(en, zhCN);
registerMessages(partnerMessages);

// Pages of this area import `t` from here, so its words are registered before they render.
export { t } from '../i18n';
