import type { RouteSectionProps } from '@solidjs/router';
import { RequireRole } from '../components/RequireRole';

/** The partner desk, for partner staff only. */
export default function DeskLayout(props: RouteSectionProps) {
  return <RequireRole roles={['partner_staff']}>{props.children}</RequireRole>;
}
