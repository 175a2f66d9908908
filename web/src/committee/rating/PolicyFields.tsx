import { For } from 'solid-js';
import { t } from '../messages';
import { grades } from './api';
import { DraftInput, GroupError, type DraftForm } from '../editor/draft-form';
import { deductions, gates, ratedGrades } from './policy-draft';

/** Every input of a rating policy: window, the three scores, grade thresholds and gates, benefits. */
export function PolicyFields(props: { form: DraftForm }) {
  const form = () => props.form;
  // Problems about a group name the group; the summary links them to its first input.
  form().register('weights', () => t('policy.form.weights'), form().fieldId('safety.weight'));
  form().register('volunteering', () => t('policy.form.volunteeringLegend'), form().fieldId('volunteering.weight'));
  form().register('reporting', () => t('policy.form.reportingLegend'), form().fieldId('reporting.weight'));

  return (
    <>
      <fieldset class="editor-group">
        <legend>{t('policy.form.windowLegend')}</legend>
        <DraftInput form={form()} path="windowDays" label={t('policy.form.windowDays')} hint={t('policy.form.windowDaysHint')} inputMode="numeric" required />
      </fieldset>
      <fieldset class="editor-group">
        <legend>{t('policy.form.scoreLegend')}</legend>
        <p class="field__hint">{t('policy.form.scoreHint')}</p>
        <GroupError form={form()} path="weights" />
        <fieldset class="editor-subgroup">
          <legend>{t('policy.form.safetyLegend')}</legend>
          <DraftInput form={form()} path="safety.weight" label={t('policy.form.safetyWeight')} required />
          <div class="editor-grid">
            <For each={deductions}>
              {(kind) => <DraftInput form={form()} path={`safety.deductions.${kind}`} label={t(`policy.form.deduction.${kind}`)} required />}
            </For>
          </div>
        </fieldset>
        <fieldset class="editor-subgroup">
          <legend>{t('policy.form.volunteeringLegend')}</legend>
          <GroupError form={form()} path="volunteering" />
          <div class="editor-grid">
            <DraftInput form={form()} path="volunteering.weight" label={t('policy.form.weight')} required />
            <DraftInput form={form()} path="volunteering.pointsPerHour" label={t('policy.form.pointsPerHour')} required />
            <DraftInput form={form()} path="volunteering.maxHours" label={t('policy.form.maxHours')} required />
          </div>
        </fieldset>
        <fieldset class="editor-subgroup">
          <legend>{t('policy.form.reportingLegend')}</legend>
          <GroupError form={form()} path="reporting" />
          <div class="editor-grid">
            <DraftInput form={form()} path="reporting.weight" label={t('policy.form.weight')} required />
            <DraftInput form={form()} path="reporting.pointsPerReport" label={t('policy.form.pointsPerReport')} required />
            <DraftInput form={form()} path="reporting.maxReports" label={t('policy.form.maxReports')} inputMode="numeric" required />
          </div>
        </fieldset>
      </fieldset>
      <fieldset class="editor-group">
        <legend>{t('policy.form.gradesLegend')}</legend>
        <p class="field__hint">{t('policy.form.gradesHint')}</p>
        <For each={ratedGrades}>
          {(grade) => (
            <fieldset class="editor-subgroup">
              <legend>{t('policy.form.gradeLegend', { grade })}</legend>
              <div class="editor-grid">
                <DraftInput form={form()} path={`grades.${grade}.minScore`} label={t('policy.form.minScore', { grade })} required />
                <For each={gates}>
                  {(gate) => (
                    <DraftInput
                      form={form()}
                      path={`grades.${grade}.${gate}`}
                      label={t(`policy.form.gate.${gate}`, { grade })}
                      inputMode="numeric"
                    />
                  )}
                </For>
              </div>
            </fieldset>
          )}
        </For>
      </fieldset>
      <fieldset class="editor-group">
        <legend>{t('policy.form.benefitsLegend')}</legend>
        <p class="field__hint">{t('policy.form.benefitsHint')}</p>
        <div class="editor-grid">
          <For each={grades}>
            {(grade) => (
              <>
                <DraftInput form={form()} path={`benefits.${grade}.earningMultiplier`} label={t('policy.form.multiplier', { grade })} required />
                <DraftInput form={form()} path={`benefits.${grade}.priceDiscount`} label={t('policy.form.discount', { grade })} required />
              </>
            )}
          </For>
        </div>
      </fieldset>
    </>
  );
}
