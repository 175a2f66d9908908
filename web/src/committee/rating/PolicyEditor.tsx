import { revalidate, useNavigate } from '@solidjs/router';
import { Show, createMemo, createSignal } from 'solid-js';
import { ErrorSummary } from '../../components/ErrorSummary';
import { t } from '../messages';
import { createPolicy, getPolicies, simulatePolicy, type PolicySimulation, type RatingPolicy } from './api';
import { DraftInput, createDraftForm } from '../editor/draft-form';
import { EffectiveFields, effectiveFromOf, effectiveNow } from '../editor/EffectiveFields';
import { PolicyFields } from './PolicyFields';
import { PolicySimulationResult } from './PolicySimulationResult';
import { policyOf, policyValues } from './policy-draft';
import { SaveBar } from '../editor/SaveBar';
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
  const [saving, setSaving] = createSignal(false);

  async function simulate() {
    const policy = form.checked((problems) => policyOf(form, problems), t('editor.fixFields'));
    if (!policy) return;
    await gate.simulate(() => simulatePolicy(policy), form.fail);
  }

  async function save(event: SubmitEvent) {
    event.preventDefault();
    if (!gate.current() || saving()) return;
    const body = form.checked((problems) => {
      const note = form.value('note').trim();
      return { policy: policyOf(form, problems), effectiveFrom: effectiveFromOf(form, problems), note: note || undefined };
    }, t('editor.fixFields'));
    if (!body) return;
    setSaving(true);
    try {
      const created = await createPolicy(body);
      await revalidate(getPolicies.key);
      const regraded = created.regrade ? `&regraded=${created.regrade.drivers}&changed=${created.regrade.gradeChanges}` : '';
      navigate(`/console/rating-policy?saved=${created.version}${regraded}`);
    } catch (error) {
      form.fail(error);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form id={form.id} class="form editor" onSubmit={save} noValidate>
      <Show when={form.failure()}>{(words) => <ErrorSummary words={words()} fields={form.fields} />}</Show>
      <PolicyFields form={form} />
      <EffectiveFields form={form} />
      <DraftInput form={form} path="note" label={t('editor.note')} hint={t('policy.form.noteHint')} inputMode="text" maxLength={500} />
      <section class="editor-group editor-simulation" aria-labelledby="policy-simulation-heading">
        <h2 id="policy-simulation-heading">{t('editor.simTitle')}</h2>
        <p class="field__hint">{t('policy.simIntro')}</p>
        <button type="button" class="button" disabled={gate.pending()} onClick={() => void simulate()}>
          {gate.pending() ? t('editor.simRunning') : t('editor.simRun')}
        </button>
        <Show when={gate.result()}>
          {(result) => (
            <div classList={{ 'simulation--stale': !gate.current() }}>
              <PolicySimulationResult result={result()} />
            </div>
          )}
        </Show>
      </section>
      <SaveBar
        id={form.id}
        label={t('policy.save')}
        simulated={gate.current()}
        hasResult={gate.result() !== undefined}
        saving={saving()}
      />
    </form>
  );
}
