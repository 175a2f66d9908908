import type { ProblemFieldError } from '../../api/client';
import { t } from '../messages';
import { addDays, isDay, programmeToday, dayStart } from '../../lib/programme-day';
import { DraftInput, type DraftForm } from '../editor/draft-form';

/** The last 30 full days: a sensible past period to price a draft over. */
export function defaultPeriod(today = programmeToday()): { from: string; to: string } {
  return { from: addDays(today, -30), to: addDays(today, -1) };
}

/** The past days to price a draft over, first and last day inclusive. */
export function SimulationPeriod(props: { form: DraftForm }) {
  return (
    <div class="editor-grid">
      <DraftInput form={props.form} path="from" type="date" label={t('editor.simFrom')} required />
      <DraftInput form={props.form} path="to" type="date" label={t('editor.simTo')} required />
    </div>
  );
}

/** The period as the API takes it: from the first day's start to the end of the last day. */
export function periodOf(form: DraftForm, problems: ProblemFieldError[]): { from: string; to: string } | undefined {
  const from = form.value('from').trim();
  const to = form.value('to').trim();
  if (!isDay(from)) problems.push({ path: 'from', message: t('editor.dayMissing') });
  if (!isDay(to)) problems.push({ path: 'to', message: t('editor.dayMissing') });
  if (!isDay(from) || !isDay(to)) return undefined;
  return { from: dayStart(from), to: dayStart(addDays(to, 1)) };
}
