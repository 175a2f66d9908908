import { A, createAsync } from '@solidjs/router';
import { Show } from 'solid-js';
import { usePageTitle } from '../../lib/page-title';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getRules, ruleActivities } from './api';
import { RuleEditor } from './RuleEditor';
import '../committee.css';

/** /console/rules/new: the rule for an activity that has none yet (each activity has one). */
export default function NewRulePage() {
  usePageTitle('rules.createTitle');
  return (
    <section>
      <p>
        <A href="/console/rules">{t('rules.backToList')}</A>
      </p>
      <h1>{t('rules.createTitle')}</h1>
      <Loaded keys={getRules.key}>
        <NewRule />
      </Loaded>
    </section>
  );
}

function NewRule() {
  const rules = createAsync(() => getRules());
  const missing = () => ruleActivities.filter((activity) => !rules()?.items.some((rule) => rule.activity === activity));
  return (
    <Show when={rules()}>
      <Show when={missing().length > 0} fallback={<p class="notice">{t('rules.allActivitiesHaveRules')}</p>}>
        <p class="lede">{t('rules.createIntro')}</p>
        <RuleEditor mode={{ kind: 'create', activities: missing() }} />
      </Show>
    </Show>
  );
}
