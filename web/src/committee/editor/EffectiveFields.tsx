import { Show } from 'solid-js';
import { t } from '../messages';
import { programmeToday, isDay, dayStart } from '../../lib/programme-day';
import { DraftInput, type DraftForm } from './draft-form';
import type { ProblemFieldError } from '../../api/client';

/** Form values for "takes effect now" (the default). */
export const effectiveNow = { effective: 'now', effectiveFrom: '' };

/**
 * When a new version takes effect: now, or from the start of a later day in programme time.
 * History is never rewritten, so there is no earlier choice.
 */
export function EffectiveFields(props: { form: DraftForm }) {
  const name = () => `${props.form.id}-effective`;
  props.form.register('effectiveFrom', () => t('editor.effectiveDate'));
  return (
    <fieldset class="editor-group">
      <legend>{t('editor.effectiveLegend')}</legend>
      <div class="radio-row">
        <label class="choice">
          <input
            type="radio"
            name={name()}
            value="now"
            checked={props.form.value('effective') !== 'date'}
            onChange={() => props.form.set('effective', 'now')}
          />
          {t('editor.effectiveNow')}
        </label>
        <label class="choice">
          <input
            type="radio"
            name={name()}
            value="date"
            checked={props.form.value('effective') === 'date'}
            onChange={() => props.form.set('effective', 'date')}
          />
          {t('editor.effectiveOnDate')}
        </label>
      </div>
      <Show when={props.form.value('effective') === 'date'}>
        <DraftInput
          form={props.form}
          path="effectiveFrom"
          type="date"
          label={t('editor.effectiveDate')}
          hint={t('editor.effectiveDateHint', { today: programmeToday() })}
          required
        />
      </Show>
    </fieldset>
  );
}

/** The `effectiveFrom` to send: undefined for now, the day's first moment otherwise. */
export function effectiveFromOf(form: DraftForm, problems: ProblemFieldError[]): string | undefined {
  if (form.value('effective') !== 'date') return undefined;
  const day = form.value('effectiveFrom').trim();
  if (!isDay(day)) {
    problems.push({ path: 'effectiveFrom', message: t('editor.effectiveDateMissing') });
    return undefined;
  }
  return dayStart(day);
}
