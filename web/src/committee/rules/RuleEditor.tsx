import { revalidate, useNavigate } from '@solidjs/router';
import { For, Show, createMemo } from 'solid-js';
import { ErrorSummary } from '../../components/ErrorSummary';
import { t } from '../messages';
import {
  addRuleVersion,
  createRule,
  getRule,
  getRules,
  simulateRules,
  type RewardRule,
  type RuleActivity,
  type RuleSimulation,
  type RuleSimulationBody,
  type RuleTerms,
} from './api';
import { DraftInput, createDraftForm } from '../editor/draft-form';
import { EffectiveFields, effectiveFromOf, effectiveNow } from '../editor/EffectiveFields';
import { RuleSimulationResult } from './RuleSimulationResult';
import { createGatedSave } from '../editor/gated-save';
import { SaveBar } from '../editor/SaveBar';
import { SimulationSection } from '../editor/SimulationSection';
import { SimulationPeriod, defaultPeriod, periodOf } from './SimulationPeriod';
import { createSimulationGate } from '../editor/simulation-gate';
import { termsOf, termsValues } from './rule-terms';
import { TermsFields } from './TermsFields';

type Mode = { kind: 'version'; rule: RewardRule } | { kind: 'create'; activities: RuleActivity[] };

/** The version a change starts from: the latest scheduled one, else the one in force. */
function latestTerms(rule: RewardRule): RuleTerms | undefined {
  return (rule.scheduled.at(-1) ?? rule.current ?? rule.history[0])?.terms;
}

/**
 * Drafts a reward rule's next version (or a new rule): its terms, when it takes effect and why;
 * prices the draft over a past period next to what was actually paid; and only then saves it, as
 * a new version — earlier versions are never changed.
 */
export function RuleEditor(props: { mode: Mode }) {
  const navigate = useNavigate();
  const mode = props.mode;
  const start = mode.kind === 'version' ? latestTerms(mode.rule) : undefined;
  const form = createDraftForm({
    id: 'rule-editor',
    initial: {
      ...termsValues(start),
      ...effectiveNow,
      ...defaultPeriod(),
      activity: mode.kind === 'version' ? mode.rule.activity : (mode.activities[0] ?? 'volunteering'),
      name: '',
      enabled: 'yes',
      note: '',
    },
    normalize: (path) => path.replace(/^rules\.[a-z_]+\./, 'terms.'),
  });
  const activity = () => form.value('activity') as RuleActivity;
  const draftKey = createMemo(() => JSON.stringify([activity(), termsOf(activity(), form, [])]));
  const gate = createSimulationGate<RuleSimulation>(draftKey);

  async function simulate() {
    const request = form.checked((problems) => {
      const terms = termsOf(activity(), form, problems);
      const period = periodOf(form, problems);
      const rules: RuleSimulationBody['rules'] = {};
      rules[activity()] = terms;
      return period ? { rules, ...period } : undefined;
    }, t('editor.fixFields'));
    if (!request) return;
    await gate.simulate(() => simulateRules(request), form.fail);
  }

  const saver = createGatedSave({
    form,
    gate,
    build: (problems) => ({
      effectiveFrom: effectiveFromOf(form, problems),
      enabled: form.value('enabled') !== '',
      terms: termsOf(activity(), form, problems),
      note: form.value('note').trim(),
    }),
    send: async (version) => {
      const saved =
        mode.kind === 'version'
          ? await addRuleVersion(mode.rule.id, version)
          : await createRule({ activity: activity(), name: form.value('name').trim(), ...version });
      await revalidate([getRules.key, getRule.keyFor(saved.rule.id)]);
      navigate(`/console/rules/${saved.rule.id}?saved=${saved.version.version}`);
    },
  });

  form.register('activity', () => t('rules.form.activity'));

  return (
    <form id={form.id} class="form editor" onSubmit={saver.save} noValidate>
      <Show when={form.failure()}>{(words) => <ErrorSummary words={words()} fields={form.fields} />}</Show>
      <Show when={mode.kind === 'create' ? mode : undefined}>
        {(create) => (
          <fieldset class="editor-group">
            <legend>{t('rules.form.ruleLegend')}</legend>
            <div class="field">
              <label for={form.fieldId('activity')}>{t('rules.form.activity')}</label>
              <select
                id={form.fieldId('activity')}
                value={activity()}
                onChange={(event) => form.set('activity', event.currentTarget.value)}
              >
                <For each={create().activities}>{(option) => <option value={option}>{t(`rules.activity.${option}`)}</option>}</For>
              </select>
            </div>
            <DraftInput form={form} path="name" label={t('rules.form.name')} inputMode="text" required maxLength={120} />
          </fieldset>
        )}
      </Show>
      <TermsFields form={form} activity={activity()} />
      <fieldset class="editor-group">
        <legend>{t('rules.form.switchLegend')}</legend>
        <label class="choice">
          <input
            type="checkbox"
            checked={form.value('enabled') !== ''}
            onChange={(event) => form.set('enabled', event.currentTarget.checked ? 'yes' : '')}
          />
          {t('rules.form.enabled')}
        </label>
        <Show when={form.value('enabled') === ''}>
          <p class="field__hint">{t('rules.form.disabledHint')}</p>
        </Show>
      </fieldset>
      <EffectiveFields form={form} />
      <DraftInput form={form} path="note" label={t('editor.note')} hint={t('editor.noteHint')} inputMode="text" required maxLength={500} />
      <SimulationSection
        headingId="rule-simulation-heading"
        intro={t('rules.simIntro')}
        gate={gate}
        onSimulate={() => void simulate()}
        result={(result) => <RuleSimulationResult result={result()} />}
      >
        <SimulationPeriod form={form} />
      </SimulationSection>
      <SaveBar
        id={form.id}
        label={mode.kind === 'version' ? t('rules.saveVersion') : t('rules.createSubmit')}
        gate={gate}
        saving={saver.saving()}
      />
    </form>
  );
}
