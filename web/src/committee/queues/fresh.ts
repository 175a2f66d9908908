import { http } from '../../api/client';

/** An item as it stands now, past any cache; undefined when even that fails. */
export async function fetchFresh<T>(path: string): Promise<T | undefined> {
  try {
    return await http.get<T>(path);
  } catch {
    return undefined;
  }
}
