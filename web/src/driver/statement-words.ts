import type { StatementLine } from './api';
import { t } from './messages';

const earnSources = ['volunteering', 'grid_report', 'safety_streak', 'safety_challenge', 'award'] as const;
type EarnSource = (typeof earnSources)[number];
const isEarnSource = (value: string): value is EarnSource => (earnSources as readonly string[]).includes(value);

/** What a statement line is, in words, from its ledger code (the reason says the particulars). */
export function entryWords(line: StatementLine): string {
  if (line.code.startsWith('earn.')) {
    const source = line.code.slice('earn.'.length);
    return isEarnSource(source) ? t(`shop.entry.earn.${source}`) : t('shop.entry.earn');
  }
  switch (line.code) {
    case 'award':
      return t('shop.entry.earn.award');
    case 'adjust':
      return t('shop.entry.adjust');
    case 'reversal':
      return t('shop.entry.reversal');
    case 'expire':
      return t('shop.entry.expire');
    case 'redeem':
      if (line.type === 'pending') return t('shop.entry.hold');
      return line.pending ? t('shop.entry.holdUsed') : t('shop.entry.spent');
    case 'void':
      return t('shop.entry.released');
    case 'hold_expired':
      return t('shop.entry.holdExpired');
    default:
      return line.code;
  }
}
