import { useSearchParams } from '@solidjs/router';
import { usePageTitle } from '../../lib/page-title';
import { formatPoints } from '../../i18n';
import { adjustPoints, grantAward } from './api';
import { driverWords } from './DriverPicker';
import { t } from './messages';
import { PointsForm, type PointsSpec } from './PointsForm';
import './admin.css';

const positive = /^\d{1,18}(\.\d{1,2})?$/;
const signed = /^-?\d{1,18}(\.\d{1,2})?$/;
const zero = /^-?0+(\.0+)?$/;

const award: PointsSpec = {
  form: 'award',
  title: 'partnersAdmin.award.title',
  intro: 'partnersAdmin.award.intro',
  amountField: 'points',
  amountLabel: 'partnersAdmin.award.points',
  amountHint: 'partnersAdmin.award.pointsHint',
  amountInvalid: 'partnersAdmin.award.pointsInvalid',
  validAmount: (amount) => positive.test(amount) && !zero.test(amount),
  question: (intent) => t('partnersAdmin.award.question', { points: formatPoints(intent.amount), driver: driverWords(intent.driver) }),
  confirm: 'partnersAdmin.award.confirm',
  done: (intent, result) =>
    t('partnersAdmin.award.done', { points: formatPoints(intent.amount), driver: driverWords(intent.driver), transfer: result.transferId }),
  again: 'partnersAdmin.award.again',
  send: (intent, key) => grantAward({ driverId: intent.driver.id, points: intent.amount, reason: intent.reason }, key),
};

const adjustment: PointsSpec = {
  form: 'adjust',
  title: 'partnersAdmin.adjust.title',
  intro: 'partnersAdmin.adjust.intro',
  amountField: 'amount',
  amountLabel: 'partnersAdmin.adjust.amount',
  amountHint: 'partnersAdmin.adjust.amountHint',
  amountInvalid: 'partnersAdmin.adjust.amountInvalid',
  validAmount: (amount) => signed.test(amount) && !zero.test(amount),
  question: (intent) =>
    intent.amount.startsWith('-')
      ? t('partnersAdmin.adjust.questionTake', { points: formatPoints(intent.amount.slice(1)), driver: driverWords(intent.driver) })
      : t('partnersAdmin.adjust.questionGive', { points: formatPoints(intent.amount), driver: driverWords(intent.driver) }),
  confirm: 'partnersAdmin.adjust.confirm',
  done: (intent, result) =>
    t('partnersAdmin.adjust.done', { amount: formatPoints(intent.amount), driver: driverWords(intent.driver), transfer: result.transferId }),
  again: 'partnersAdmin.adjust.again',
  send: (intent, key) => adjustPoints({ driverId: intent.driver.id, amount: intent.amount, reason: intent.reason }, key),
};

/** Instant awards and ledger adjustments: audited, each confirmed before it moves points. */
export default function AwardsPage() {
  usePageTitle('partnersAdmin.awards.title');
  // `?driverId=` (the "Award points" link on a driver's page) chooses the driver in both forms.
  const [params] = useSearchParams<{ driverId?: string }>();
  return (
    <section class="admin">
      <h1>{t('partnersAdmin.awards.title')}</h1>
      <p class="lede">{t('partnersAdmin.awards.intro')}</p>
      <PointsForm spec={award} driverId={params.driverId} />
      <PointsForm spec={adjustment} driverId={params.driverId} />
    </section>
  );
}
