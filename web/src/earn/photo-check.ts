import { formatNumber } from '../i18n';
import { t } from './messages';

/** The server's limit for a photo (api/earning/photos.ts); it checks again, by the bytes. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

const photoTypes = ['image/jpeg', 'image/png', 'image/webp'];
const photoNames = /\.(jpe?g|png|webp)$/i;

/** For `<input type="file" accept>`: what the server takes. */
export const photoAccept = photoTypes.join(',');

/**
 * Why this file will not do as a photo, in words, or null when it may go. Catches the wrong file
 * and the too-large photo before a phone spends its data uploading them.
 */
export function photoRefusal(file: File): string | null {
  if (file.size === 0) return t('earn.photo.empty');
  // Some phones' galleries give no type at all; then the name is the best guess (the server decides).
  const looksRight = file.type ? photoTypes.includes(file.type) : photoNames.test(file.name);
  if (!looksRight) return t('earn.photo.wrongType', { name: file.name });
  if (file.size > MAX_PHOTO_BYTES) {
    // Rounded up, so a photo just over the limit never reads "5 MB; the limit is 5 MB".
    return t('earn.photo.tooLarge', { size: formatNumber(Math.ceil((file.size / (1024 * 1024)) * 10) / 10) });
  }
  return null;
}

/** A chosen photo, or null for an empty file input (a form with none still sends an empty part). */
export function chosenFile(value: FormDataEntryValue | null): File | null {
  return value instanceof File && (value.size > 0 || value.name !== '') ? value : null;
}
