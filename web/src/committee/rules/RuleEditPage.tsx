import { A, createAsync, useParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { usePageTitle } from '../../lib/page-title';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getRule } from './api';
import { RuleEditor } from './RuleEditor';
import '../committee.css';

/** /console/rules/:id/edit: a new version of a rule, simulated before it is saved. */
export default function RuleEditPage() {
  usePageTitle('rules.editTitle');
  const params = useParams<{ id: string }>();
  return (
    <section>
      <p>
        <A href={`/console/rules/${params.id}`}>{t('rules.backToHistory')}</A>
      </p>
      <Loaded keys={getRule.keyFor(params.id)}>
        <EditRule id={params.id} />
      </Loaded>
    </section>
  );
}

function EditRule(props: { id: string }) {
  const rule = createAsync(() => getRule(props.id));
  const next = () => Math.max(0, ...(rule()?.history.map((v) => v.version) ?? [])) + 1;
  return (
    <Show when={rule()}>
      {(rule) => (
        <>
          <h1>{t('rules.editHeading', { name: rule().name, version: next() })}</h1>
          <p class="lede">{t('rules.editIntro')}</p>
          <RuleEditor mode={{ kind: 'version', rule: rule() }} />
        </>
      )}
    </Show>
  );
}
