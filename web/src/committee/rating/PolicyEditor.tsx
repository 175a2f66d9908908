import { revalidate, useNavigate } from '@solidjs/router';
import { Show, createMemo } from 'solid-js';
import { ErrorSummary } from '../../components/ErrorSummary';
import { t } from '../messages';
import { createPolicy, getPolicies, simulatePolicy, type PolicySimulation, type RatingPolicy } from './api';
import { DraftInput, createDraftForm } from '../editor/draft-form';
import { EffectiveFields, effectiveFromOf, effectiveNow } from '../editor/EffectiveFields';
import { PolicyFields } from './PolicyFields';
import { PolicySimulationResult } from './PolicySimulationResult';
import { policyOf, policyValues } from './policy-draft';
import { createGatedSave } from '../editor/gated-save';
import { SaveBar } from '../editor/SaveBar';
import { SimulationSection } from '../editor/SimulationSection';
import { createSimulationGate } from '../editor/simulation-gate';

/**
 * Drafts the next rating policy version from `start`, shows the grades it would give every
 * driver today next to the grades they have, and only then saves it.
 */
export function PolicyEditor(props: { start: RatingPolicy }) {
  const navigate = useNavigate();
  const form = createDraftForm({
    id: 'policy-editor',
    initial: { ...policyValues(props.start), ...effectiveNow, note: '' },
    normalize: (path) => path.replace(/^policy\./, ''),
  });
  const draftKey = createMemo(() => JSON.stringify(policyOf(form, [])));
  const gate = createSimulationGate<PolicySimulation>(draftKey);

  async function simulate() {
    const policy = form.checked((problems) => policyOf(form, problems), t('editor.fixFields'));
    if (!policy) return;
    await gate.simulate(() => simulatePolicy(policy), form.fail);
  }

  const saver = createGatedSave({
    form,
    gate,
    build: (problems) => {
      const note = form.value('note').trim();
      return { policy: policyOf(form, problems), effectiveFrom: effectiveFromOf(form, problems), note: note || undefined };
    },
    send: async (body) => {
      const created = await createPolicy(body);
      await revalidate(getPolicies.key);
      const regraded = created.regrade ? `&regraded=${created.regrade.drivers}&changed=${created.regrade.gradeChanges}` : '';
      navigate(`/console/rating-policy?saved=${created.version}${regraded}`);
    },
  });

  return (
    <form id={form.id} class="form editor" onSubmit={saver.save} noValidate>
      <Show when={form.failure()}>{(words) => <ErrorSummary words={words()} fields={form.fields} />}</Show>
      <PolicyFields form={form} />
      <EffectiveFields form={form} />
      <DraftInput form={form} path="note" label={t('editor.note')} hint={t('policy.form.noteHint')} inputMode="text" maxLength={500} />
      <SimulationSection
        headingId="policy-simulation-heading"
        intro={t('policy.simIntro')}
        gate={gate}
        onSimulate={() => void simulate()}
        result={(result) => <PolicySimulationResult result={result()} />}
      />
      <SaveBar id={form.id} label={t('policy.save')} gate={gate} saving={saver.saving()} />
    </form>
  );
}
