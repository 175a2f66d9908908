import type { Grade } from './api';
import { t } from './messages';

/** A credit grade, coloured by rank; read out as "Credit grade AA". */
export function GradeBadge(props: { grade: Grade; size?: 'large' }) {
  return (
    <span class={`shop-grade shop-grade--${props.grade}`} classList={{ 'shop-grade--large': props.size === 'large' }}>
      <span class="visually-hidden">{t('shop.grade.label')} </span>
      {props.grade}
    </span>
  );
}
