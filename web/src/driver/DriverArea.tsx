import type { RouteSectionProps } from '@solidjs/router';
import { RequireRole } from '../components/RequireRole';

/** The driver's pages (shop, vouchers, earning), for drivers only. */
export default function DriverArea(props: RouteSectionProps) {
  return <RequireRole roles={['driver']}>{props.children}</RequireRole>;
}
