import { Show, createSignal } from 'solid-js';
import { formatPoints } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import type { Honour } from './api';
import { CodeEntry } from './CodeEntry';
import { type DeskOutcome, HonourCard } from './HonourCard';
import { t } from './messages';
import './desk.css';

/** The counter: type or scan a voucher code, see what to honour, confirm or reject it. */
export default function ConfirmPage() {
  usePageTitle('desk.confirm.title');
  const [voucher, setVoucher] = createSignal<Honour>();
  const [outcome, setOutcome] = createSignal<DeskOutcome>();
  // Back from a looked-up voucher keeps its code in the box; after confirm or reject it is empty.
  const [carriedCode, setCarriedCode] = createSignal('');

  return (
    <section class="desk">
      <h1>{t('desk.confirm.title')}</h1>
      <div role="status" aria-live="polite">
        <Show when={outcome()}>{(done) => <OutcomeNotice outcome={done()} />}</Show>
      </div>
      <Show
        when={voucher()}
        fallback={<CodeEntry initialCode={carriedCode()} onStart={() => setOutcome(undefined)} onFound={setVoucher} />}
      >
        {(found) => (
          <HonourCard
            voucher={found()}
            onDone={(done) => {
              setCarriedCode('');
              setOutcome(done);
              setVoucher(undefined);
            }}
            onBack={() => {
              setCarriedCode(found().code);
              setVoucher(undefined);
            }}
          />
        )}
      </Show>
    </section>
  );
}

function OutcomeNotice(props: { outcome: DeskOutcome }) {
  const v = () => props.outcome.voucher;
  return (
    <div class="notice desk-outcome" classList={{ 'desk-outcome--rejected': props.outcome.kind === 'rejected' }}>
      <Show
        when={props.outcome.kind === 'confirmed'}
        fallback={
          <>
            <p class="desk-outcome__title">{t('desk.outcome.rejected')}</p>
            <p>{t('desk.outcome.rejectedBody', { offer: v().offerTitle, driver: v().driverName })}</p>
          </>
        }
      >
        <p class="desk-outcome__title">{t('desk.outcome.confirmed')}</p>
        <p>
          {t('desk.outcome.confirmedBody', {
            give: v().faceValue,
            driver: v().driverName,
            points: formatPoints(v().captured ?? v().price),
          })}
        </p>
      </Show>
      <p>{t('desk.outcome.next')}</p>
    </div>
  );
}
