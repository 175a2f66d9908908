export { programmeToday } from '../lib/programme-day';

/** A text field of a submitted form, trimmed; '' when absent. */
export function textField(data: FormData | URLSearchParams, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * The form's fields with the photo the page holds (the one PhotoInput accepted) in place of
 * whatever the file input carries, so a refused file can never go along.
 */
export function formWithPhoto(form: HTMLFormElement, photo: File | null): FormData {
  const data = new FormData(form);
  data.delete('photo');
  if (photo) data.set('photo', photo);
  return data;
}
