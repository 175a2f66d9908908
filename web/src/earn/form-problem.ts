import { ApiProblem, type ProblemFieldError } from '../api/client';
import { t } from './messages';

/** Problems found before sending, shaped like the server's so the form shows them the same way. */
export function formProblem(errors: ProblemFieldError[]): ApiProblem {
  return new ApiProblem({ type: 'about:blank', title: t('earn.form.fixTitle'), status: 400, detail: t('earn.form.fixFields'), errors });
}

const photoProblems = /\/(image-too-large|invalid-image|unsupported-media-type|payload-too-large)$/;

/**
 * The server refuses a photo (too large, not an image, damaged) without naming a field: tie
 * those to the photo input, so the error sits next to it.
 */
export function onPhotoField(error: unknown): unknown {
  if (!(error instanceof ApiProblem) || error.errors.length > 0 || !photoProblems.test(error.type)) return error;
  return new ApiProblem(
    {
      type: error.type,
      title: error.title,
      status: error.status,
      detail: error.detail,
      instance: error.instance,
      errors: [{ path: 'photo', message: error.detail || error.title }],
    },
    error.retryAfterSeconds,
  );
}
