import { A } from '@solidjs/router';
import { Match, Switch } from 'solid-js';
import type { Appeal, SubjectType } from './api';
import { appealHref } from './appeal-links';
import { t } from './messages';

/**
 * Under something rejected: "Appeal", or where its appeal stands if one is open or was upheld.
 * `name` tells screen readers which of several "Appeal" links this is.
 */
export function AppealAction(props: { kind: SubjectType; id: string; name: string; appeal: Appeal | undefined }) {
  return (
    <Switch
      fallback={
        <A href={appealHref(props.kind, props.id)} class="button button--small">
          {t('earn.appeal.action')}
          <span class="visually-hidden">: {props.name}</span>
        </A>
      }
    >
      <Match when={props.appeal?.status === 'open'}>
        <p class="earn-appeal-state">
          {t('earn.appeal.underReview')} <A href="/earn/appeals">{t('earn.appeals.title')}</A>
        </p>
      </Match>
      <Match when={props.appeal?.status === 'upheld'}>
        <p class="earn-appeal-state">
          {t('earn.appeal.wasUpheld')} <A href="/earn/appeals">{t('earn.appeals.title')}</A>
        </p>
      </Match>
    </Switch>
  );
}
