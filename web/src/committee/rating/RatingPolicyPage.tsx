import { A, createAsync, useSearchParams } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDateTime } from '../../i18n';
import { usePageTitle } from '../../lib/page-title';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getPolicies, type PolicyVersion } from './api';
import { PolicySummary } from './PolicySummary';
import '../committee.css';

/** /console/rating-policy: the policy in force, every version before and after it. */
export default function RatingPolicyPage() {
  usePageTitle('policy.title');
  return (
    <section>
      <h1>{t('policy.title')}</h1>
      <p class="lede">{t('policy.intro')}</p>
      <Saved />
      <p>
        <A class="button button--primary" href="/console/rating-policy/new">
          {t('policy.draftNew')}
        </A>
      </p>
      <Loaded keys={getPolicies.key}>
        <Policies />
      </Loaded>
    </section>
  );
}

function Saved() {
  const [search] = useSearchParams();
  const text = (name: string) => (typeof search[name] === 'string' ? (search[name] as string) : undefined);
  return (
    <Show when={text('saved')}>
      {(version) => (
        <p class="notice" role="status">
          {t('policy.saved', { version: version() })}
          <Show when={text('regraded')}>
            {(drivers) => <> {t('policy.regraded', { drivers: drivers(), changed: text('changed') ?? '0' })}</>}
          </Show>
        </p>
      )}
    </Show>
  );
}

function Policies() {
  const list = createAsync(() => getPolicies());
  const inForce = () => list()?.items.find((version) => version.inForce);
  return (
    <Show when={list()}>
      {(list) => (
        <>
          <Show when={inForce()}>
            {(version) => (
              <section class="panel" aria-labelledby="policy-in-force">
                <h2 id="policy-in-force">
                  {t('policy.inForce', { version: version().version, when: formatDateTime(version().effectiveFrom) })}
                </h2>
                <Show when={version().note}>{(note) => <p>{note()}</p>}</Show>
                <PolicySummary policy={version().policy} />
              </section>
            )}
          </Show>
          <section aria-labelledby="policy-history">
            <h2 id="policy-history">{t('policy.history')}</h2>
            <ol class="policy-versions">
              <For each={list().items}>{(version) => <VersionItem version={version} inForce={list().inForce} />}</For>
            </ol>
          </section>
        </>
      )}
    </Show>
  );
}

function VersionItem(props: { version: PolicyVersion; inForce: number }) {
  const v = () => props.version;
  const state = () => (v().inForce ? 'inForce' : v().version > props.inForce ? 'scheduled' : 'ended');
  return (
    <li class="policy-version">
      <details>
        <summary>
          {t('policy.versionLine', { version: v().version, when: formatDateTime(v().effectiveFrom) })}{' '}
          <span class="status" classList={{ 'status--muted': state() === 'ended' }}>
            {t(`policy.state.${state()}`)}
          </span>
          <Show when={v().note}>{(note) => <span class="quiet"> · {note()}</span>}</Show>
        </summary>
        <PolicySummary policy={v().policy} />
      </details>
    </li>
  );
}
