import { A, createAsync } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDateTime } from '../../i18n';
import { usePageTitle } from '../../lib/page-title';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getRules, ruleActivities, type RewardRule } from './api';
import { TermsFacts } from './TermsFacts';
import '../committee.css';

/** /console/rules: what each activity pays now, what is scheduled, and the way to change it. */
export default function RulesPage() {
  usePageTitle('rules.title');
  return (
    <section>
      <h1>{t('rules.title')}</h1>
      <p class="lede">{t('rules.intro')}</p>
      <Loaded keys={getRules.key}>
        <RuleList />
      </Loaded>
    </section>
  );
}

function RuleList() {
  const rules = createAsync(() => getRules());
  const missing = () => ruleActivities.filter((activity) => !rules()?.items.some((rule) => rule.activity === activity));
  return (
    <Show when={rules()}>
      {(list) => (
        <>
          <Show when={list().items.length > 0} fallback={<p class="empty">{t('rules.none')}</p>}>
            <ul class="cards rule-cards">
              <For each={list().items}>{(rule) => <RuleCard rule={rule} />}</For>
            </ul>
          </Show>
          <Show when={missing().length > 0} fallback={<p class="aside">{t('rules.allActivitiesHaveRules')}</p>}>
            <p>
              <A class="button" href="/console/rules/new">
                {t('rules.create')}
              </A>
            </p>
          </Show>
        </>
      )}
    </Show>
  );
}

function RuleCard(props: { rule: RewardRule }) {
  const titleId = () => `rule-${props.rule.id}-title`;
  return (
    <li class="card rule-card">
      <article aria-labelledby={titleId()}>
        <header class="card__head">
          <h2 id={titleId()} class="card__title">
            {props.rule.name}
          </h2>
          <span class="badge">{t(`rules.activity.${props.rule.activity}`)}</span>
        </header>
        <Show when={props.rule.current} fallback={<p>{t('rules.noneInForce')}</p>}>
          {(current) => (
            <dl class="facts facts--compact">
              <div>
                <dt>{t('rules.inForce')}</dt>
                <dd>
                  {t('rules.versionSince', { version: current().version, when: formatDateTime(current().effectiveFrom) })}
                  <Show when={!current().enabled}> · {t('rules.switchedOff')}</Show>
                </dd>
              </div>
              <TermsFacts activity={props.rule.activity} terms={current().terms} />
            </dl>
          )}
        </Show>
        <For each={props.rule.scheduled}>
          {(version) => (
            <p class="notice">
              {t('rules.scheduledVersion', { version: version.version, when: formatDateTime(version.effectiveFrom) })}
            </p>
          )}
        </For>
        <div class="card__actions">
          <A class="button button--small button--primary" href={`/console/rules/${props.rule.id}/edit`}>
            {t('rules.edit')}
            <span class="visually-hidden"> {props.rule.name}</span>
          </A>
          <A class="button button--small" href={`/console/rules/${props.rule.id}`}>
            {t('rules.history')}
            <span class="visually-hidden"> {props.rule.name}</span>
          </A>
        </div>
      </article>
    </li>
  );
}
