import type { Me } from '../../../api/auth/auth.schemas';
import { t } from './messages';

/** The driver's start page: balance, grade, progress and inbox. */
export default function DriverHome(props: { user: Me }) {
  return <h1>{t('home.greeting', { name: props.user.name })}</h1>;
}
