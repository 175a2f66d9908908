import { query } from '@solidjs/router';
import type * as volunteering from '../../../../api/earning/volunteering.schemas';
import { http } from '../../api/client';
import type { Wire } from '../../api/wire';

export type ImportDetail = Wire<typeof volunteering.ImportDetail>;
export type ImportSummary = Wire<typeof volunteering.ImportSummary>;
export type ImportPage = Wire<typeof volunteering.ImportPage>;
export type RowError = ImportDetail['errors'][number];

export const getImports = query(
  () => http.get<ImportPage>('/api/volunteering/imports', { query: { limit: 20 } }),
  'committee.imports',
);

/** Always asks the server: progress is what it says now, never a cached answer. */
export const fetchImport = (id: string) => http.get<ImportDetail>(`/api/volunteering/imports/${id}`);

/** Sends the file as multipart `file`; the API answers 202 and processes it in the background. */
export function uploadImport(file: File): Promise<ImportDetail> {
  const form = new FormData();
  form.append('file', file);
  return http.post<ImportDetail>('/api/volunteering/import', form);
}
