import { A, useSearchParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { fieldError } from '../api/error-words';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field, fieldId } from '../components/Field';
import { t } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { useFormSubmission } from '../lib/use-form-submission';
import { login, useSession } from '../session/session';

const form = 'login';

export default function Login() {
  usePageTitle('login.title');
  const session = useSession();
  return (
    <section class="panel panel--narrow">
      <h1>{t('login.title')}</h1>
      <Show when={session.user()} keyed fallback={<LoginForm />}>
        {(user) => (
          <>
            <p>{t('login.already', { name: user.name })}</p>
            <A href="/" class="button button--primary">
              {t('login.goHome')}
            </A>
          </>
        )}
      </Show>
    </section>
  );
}

function LoginForm() {
  const [params] = useSearchParams();
  const submission = useFormSubmission(login);
  const failure = () => submission.failure();
  // `?next=/somewhere` brings the person back where they were asked to sign in.
  const next = () => (typeof params.next === 'string' ? params.next : '');
  const fields = () => ({
    phone: { id: fieldId(form, 'phone'), label: t('field.phone') },
    password: { id: fieldId(form, 'password'), label: t('field.password') },
  });

  return (
    <>
      <p class="lede">{t('login.intro')}</p>
      <form id={form} class="form" action={login} method="post">
        <Show when={failure()}>
          {(words) => <ErrorSummary words={words()} fields={fields()} />}
        </Show>
        <input type="hidden" name="next" value={next()} />
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
          name="password"
          label={t('field.password')}
          type="password"
          autocomplete="current-password"
          maxLength={200}
          error={fieldError(failure(), 'password')}
        />
        <button
          type="submit"
          class="button button--primary button--block"
          disabled={submission.pending()}
        >
          {submission.pending() ? t('login.pending') : t('login.submit')}
        </button>
      </form>
      <p class="aside">
        {t('login.noAccount')} <A href="/register">{t('login.registerLink')}</A>
      </p>
    </>
  );
}
