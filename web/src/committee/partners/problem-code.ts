import { ApiProblem } from '../../api/client';

/** The problem type's last part: `https://milepost.dev/problems/award-too-large` → `award-too-large`. */
export function problemCode(error: unknown): string | undefined {
  return error instanceof ApiProblem ? error.type.split('/').pop() : undefined;
}
