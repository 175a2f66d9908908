import { For, Show } from 'solid-js';
import { t } from '../messages';
import { gridCategories } from '../queues/filters';
import { grades } from '../rating/api';
import type { RuleActivity } from './api';
import { DraftInput, GroupError, type DraftForm } from '../editor/draft-form';
import { capPeriods, isSafety, unitOf } from './rule-terms';

/** The inputs for a rule's terms; which appear depends on the activity. */
export function TermsFields(props: { form: DraftForm; activity: RuleActivity }) {
  const unit = () => unitOf[props.activity];
  const form = () => props.form;
  return (
    <>
      <fieldset class="editor-group">
        <legend>{t('rules.form.paysLegend')}</legend>
        <DraftInput
          form={form()}
          path="terms.points"
          label={t('rules.form.points', { unit: t(`rules.unit.${unit()}`) })}
          hint={t('rules.form.pointsHint')}
          required
        />
        <Show when={props.activity === 'volunteering'}>
          <DraftInput form={form()} path="terms.minHours" label={t('rules.form.minHours')} hint={t('rules.form.minHoursHint')} />
        </Show>
        <Show when={isSafety(props.activity)}>
          <DraftInput
            form={form()}
            path="terms.everyDays"
            label={props.activity === 'safety_challenge' ? t('rules.form.challengeDays') : t('rules.form.streakDays')}
            inputMode="numeric"
            required
          />
        </Show>
      </fieldset>
      <Show when={props.activity === 'grid_report'}>
        <fieldset class="editor-group">
          <legend>{t('rules.form.categoriesLegend')}</legend>
          <p class="field__hint">{t('rules.form.categoriesHint')}</p>
          <GroupError form={form()} path="terms.categories" />
          <div class="editor-grid">
            <For each={gridCategories}>
              {(category) => (
                <div class="editor-category">
                  <label class="choice">
                    <input
                      type="checkbox"
                      checked={form().value(`terms.categories.${category}`) !== ''}
                      onChange={(event) => form().set(`terms.categories.${category}`, event.currentTarget.checked ? 'yes' : '')}
                    />
                    {t('rules.form.categoryPays', { category: t(`grid.category.${category}`) })}
                  </label>
                  <DraftInput
                    form={form()}
                    path={`terms.pointsByCategory.${category}`}
                    label={t('rules.form.categoryPoints', { category: t(`grid.category.${category}`) })}
                  />
                </div>
              )}
            </For>
          </div>
        </fieldset>
      </Show>
      <fieldset class="editor-group">
        <legend>{t('rules.form.capsLegend')}</legend>
        <p class="field__hint">{t('rules.form.capsHint', { units: t(`rules.units.${unit()}`) })}</p>
        <GroupError form={form()} path="terms.caps" />
        <div class="editor-grid">
          <For each={capPeriods}>
            {(period) => <DraftInput form={form()} path={`terms.caps.${period}`} label={t(`rules.form.cap.${period}`)} />}
          </For>
        </div>
      </fieldset>
      <fieldset class="editor-group">
        <legend>{t('rules.form.multipliersLegend')}</legend>
        <p class="field__hint">{t('rules.form.multipliersHint')}</p>
        <div class="editor-grid">
          <For each={grades}>
            {(grade) => (
              <DraftInput form={form()} path={`terms.multipliers.${grade}`} label={t('rules.form.multiplier', { grade })} />
            )}
          </For>
        </div>
      </fieldset>
    </>
  );
}
