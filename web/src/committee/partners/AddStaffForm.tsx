import { Show, createSignal } from 'solid-js';
import { fieldError } from '../../api/error-words';
import { ErrorSummary } from '../../components/ErrorSummary';
import { fieldId } from '../../components/Field';
import { type Partner, addStaff } from './api';
import { InputControl } from './controls';
import { t } from './messages';
import { useSubmit } from './use-submit';

const text = (data: FormData, name: string) => String(data.get(name) ?? '');

/** A desk account for the partner: the person signs in with this phone and password. */
export function AddStaffForm(props: { partner: Partner; onClose: () => void }) {
  const form = () => `staff-${props.partner.id}`;
  const submit = useSubmit((body: { phone: string; name: string; password: string }) => addStaff(props.partner.id, body));
  const [added, setAdded] = createSignal<{ name: string; phone: string }>();
  const failure = () => submit.failure();
  const fields = () => ({
    phone: { id: fieldId(form(), 'phone'), label: t('partnersAdmin.staff.phone') },
    name: { id: fieldId(form(), 'name'), label: t('partnersAdmin.staff.name') },
    password: { id: fieldId(form(), 'password'), label: t('partnersAdmin.staff.password') },
  });
  let first: HTMLInputElement | undefined;

  return (
    <div class="admin-task">
      <h3>{t('partnersAdmin.staff.title', { partner: props.partner.name })}</h3>
      <div role="status">
        <Show when={added()}>{(who) => <p class="notice">{t('partnersAdmin.staff.added', who())}</p>}</Show>
      </div>
      <form
        id={form()}
        class="form"
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          const element = event.currentTarget;
          const data = new FormData(element);
          const body = {
            phone: text(data, 'phone').replace(/[\s\-()]/g, ''),
            name: text(data, 'name').trim(),
            password: text(data, 'password'),
          };
          setAdded(undefined);
          if (!(await submit.run(body))) return;
          element.reset();
          setAdded({ name: body.name, phone: body.phone });
          first?.focus();
        }}
      >
        <Show when={failure()}>{(words) => <ErrorSummary words={words()} fields={fields()} />}</Show>
        <InputControl form={form()} name="phone" type="tel" inputMode="tel" label={fields().phone.label} maxLength={24} required ref={(el) => (first = el)} error={fieldError(failure(), 'phone')} />
        <InputControl form={form()} name="name" label={fields().name.label} maxLength={60} required error={fieldError(failure(), 'name')} />
        <InputControl
          form={form()}
          name="password"
          type="password"
          autocomplete="new-password"
          label={fields().password.label}
          hint={t('partnersAdmin.staff.passwordHint')}
          maxLength={200}
          required
          error={fieldError(failure(), 'password')}
        />
        <div class="actions">
          <button type="submit" class="button button--primary" disabled={submit.pending()}>
            {submit.pending() ? t('state.saving') : t('partnersAdmin.staff.submit')}
          </button>
          <button type="button" class="button" onClick={() => props.onClose()}>
            {t('action.close')}
          </button>
        </div>
      </form>
    </div>
  );
}
