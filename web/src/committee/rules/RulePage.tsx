import { A, createAsync, useParams, useSearchParams } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDateTime } from '../../i18n';
import { usePageTitle } from '../../lib/page-title';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getRule, type RuleVersion } from './api';
import { capsWords, multipliersWords, paysWords } from './TermsFacts';
import '../committee.css';

/** /console/rules/:id: a rule's every version, newest first. Versions are never changed. */
export default function RulePage() {
  usePageTitle('rules.historyTitle');
  const params = useParams<{ id: string }>();
  return (
    <section>
      <p>
        <A href="/console/rules">{t('rules.backToList')}</A>
      </p>
      <Loaded keys={getRule.keyFor(params.id)}>
        <RuleHistory id={params.id} />
      </Loaded>
    </section>
  );
}

function RuleHistory(props: { id: string }) {
  const rule = createAsync(() => getRule(props.id));
  const [search] = useSearchParams();
  return (
    <Show when={rule()}>
      {(rule) => (
        <>
          <h1>{t('rules.historyHeading', { name: rule().name })}</h1>
          <Show when={typeof search.saved === 'string' && search.saved}>
            {(version) => (
              <p class="notice" role="status">
                {t('rules.savedVersion', { version: version() })}
              </p>
            )}
          </Show>
          <p class="lede">{t('rules.historyIntro')}</p>
          <p>
            <A class="button button--primary" href={`/console/rules/${rule().id}/edit`}>
              {t('rules.edit')}
            </A>
          </p>
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">{t('rules.historyCaption', { name: rule().name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('rules.col.version')}</th>
                  <th scope="col">{t('rules.col.status')}</th>
                  <th scope="col">{t('rules.col.effective')}</th>
                  <th scope="col">{t('rules.terms.points')}</th>
                  <th scope="col">{t('rules.terms.caps')}</th>
                  <th scope="col">{t('rules.terms.multipliers')}</th>
                  <th scope="col">{t('rules.col.note')}</th>
                  <th scope="col">{t('rules.col.madeBy')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={rule().history}>{(version) => <VersionRow version={version} />}</For>
              </tbody>
            </table>
          </div>
        </>
      )}
    </Show>
  );
}

function VersionRow(props: { version: RuleVersion }) {
  const v = () => props.version;
  return (
    <tr>
      <th scope="row">v{v().version}</th>
      <td>
        <span class="status" classList={{ 'status--muted': v().status === 'ended' || v().status === 'overridden' }}>
          {t(`rules.status.${v().status}`)}
        </span>
        <Show when={!v().enabled}> {t('rules.switchedOff')}</Show>
      </td>
      <td>{formatDateTime(v().effectiveFrom)}</td>
      <td>{paysWords(v().terms)}</td>
      <td>{capsWords(v().terms)}</td>
      <td>{multipliersWords(v().terms)}</td>
      <td>{v().note ?? ''}</td>
      <td>
        {v().createdBy?.name ?? t('rules.programmeDefault')}
        <br />
        <span class="quiet">{formatDateTime(v().createdAt)}</span>
      </td>
    </tr>
  );
}
