import { A, createAsync } from '@solidjs/router';
import { Show } from 'solid-js';
import { usePageTitle } from '../../lib/page-title';
import { Loaded } from '../../components/Loaded';
import { t } from '../messages';
import { getPolicies } from './api';
import { PolicyEditor } from './PolicyEditor';
import '../committee.css';

/** /console/rating-policy/new: the next rating policy version, starting from the newest one. */
export default function PolicyEditPage() {
  usePageTitle('policy.editTitle');
  return (
    <section>
      <p>
        <A href="/console/rating-policy">{t('policy.backToPolicy')}</A>
      </p>
      <h1>{t('policy.editTitle')}</h1>
      <p class="lede">{t('policy.editIntro')}</p>
      <Loaded keys={getPolicies.key}>
        <NewVersion />
      </Loaded>
    </section>
  );
}

function NewVersion() {
  const list = createAsync(() => getPolicies());
  // Newest first: a change builds on the latest version, even one not yet in force.
  const latest = () => list()?.items[0];
  return <Show when={latest()}>{(version) => <PolicyEditor start={version().policy} />}</Show>;
}
