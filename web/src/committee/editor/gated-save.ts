import { createSignal } from 'solid-js';
import type { ProblemFieldError } from '../../api/client';
import { t } from '../messages';
import type { DraftForm } from './draft-form';
import type { SimulationGate } from './simulation-gate';

/**
 * Saving a draft that has been simulated as it stands: the form's own problems first, then the
 * call; a refusal shows on the form. Nothing goes while the gate is shut or a save is on its way.
 */
export function createGatedSave<Body>(options: {
  form: DraftForm;
  gate: SimulationGate<unknown>;
  build: (problems: ProblemFieldError[]) => Body;
  send: (body: Body) => Promise<void>;
}) {
  const [saving, setSaving] = createSignal(false);

  async function save(event: SubmitEvent) {
    event.preventDefault();
    if (!options.gate.current() || saving()) return;
    const body = options.form.checked(options.build, t('editor.fixFields'));
    if (!body) return;
    setSaving(true);
    try {
      await options.send(body);
    } catch (error) {
      options.form.fail(error);
    } finally {
      setSaving(false);
    }
  }

  return { saving, save };
}
