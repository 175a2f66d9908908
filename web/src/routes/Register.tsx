import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { fieldError } from '../api/error-words';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field, fieldId } from '../components/Field';
import { t } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { useFormSubmission } from '../lib/use-form-submission';
import { register } from '../session/session';

const form = 'register';

/** Driver sign-up. Partner staff and committee accounts are made by the committee. */
export default function Register() {
  usePageTitle('register.title');
  const submission = useFormSubmission(register);
  const failure = () => submission.failure();
  const fields = () => ({
    phone: { id: fieldId(form, 'phone'), label: t('field.phone') },
    name: { id: fieldId(form, 'name'), label: t('field.name') },
    plateNumber: { id: fieldId(form, 'plateNumber'), label: t('field.plateNumber') },
    password: { id: fieldId(form, 'password'), label: t('field.newPassword') },
  });

  return (
    <section class="panel panel--narrow">
      <h1>{t('register.title')}</h1>
      <p class="lede">{t('register.intro')}</p>
      <form id={form} class="form" action={register} method="post">
        <Show when={failure()}>
          {(words) => <ErrorSummary words={words()} fields={fields()} />}
        </Show>
        <Field
          form={form}
          name="phone"
          label={t('field.phone')}
          type="tel"
          inputMode="tel"
          autocomplete="tel"
          maxLength={24}
          error={fieldError(failure(), 'phone')}
        />
        <Field
          form={form}
          name="name"
          label={t('field.name')}
          autocomplete="name"
          autocapitalize="words"
          maxLength={100}
          error={fieldError(failure(), 'name')}
        />
        <Field
          form={form}
          name="plateNumber"
          label={t('field.plateNumber')}
          hint={t('field.plateNumberHint')}
          autocomplete="off"
          autocapitalize="characters"
          minLength={2}
          maxLength={20}
          error={fieldError(failure(), 'plateNumber')}
        />
        <Field
          form={form}
          name="password"
          label={t('field.newPassword')}
          hint={t('field.newPasswordHint')}
          type="password"
          autocomplete="new-password"
          minLength={10}
          maxLength={200}
          error={fieldError(failure(), 'password')}
        />
        <button
          type="submit"
          class="button button--primary button--block"
          disabled={submission.pending()}
        >
          {submission.pending() ? t('register.pending') : t('register.submit')}
        </button>
      </form>
      <p class="aside">
        {t('register.haveAccount')} <A href="/login">{t('register.signInLink')}</A>
      </p>
    </section>
  );
}
