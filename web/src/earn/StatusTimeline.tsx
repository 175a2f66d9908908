import { For, Show } from 'solid-js';
import { formatDateTime } from '../i18n';
import { t } from './messages';
import './earn.css';

/**
 * One step of something's life. `done` happened, `bad` happened and ended it badly (rejected,
 * dismissed), `next` has not happened yet and has no time.
 */
export interface TimelineStep {
  label: string;
  state: 'done' | 'bad' | 'next';
  at?: string | null;
  /** Who did it, where it went, why: one line each. */
  details?: string[];
}

/** The steps of a report, claim or appeal, first to last, with their times. */
export function StatusTimeline(props: { label: string; steps: TimelineStep[] }) {
  return (
    <ol class="timeline" aria-label={props.label}>
      <For each={props.steps}>
        {(step) => (
          <li class={`timeline__step timeline__step--${step.state}`}>
            <span class="timeline__label">
              {step.label}
              <Show when={step.state === 'next'}>
                <span class="visually-hidden"> {t('earn.timeline.notYet')}</span>
              </Show>
            </span>
            <Show when={step.at}>
              {(at) => (
                <time class="timeline__time" datetime={at()}>
                  {formatDateTime(at())}
                </time>
              )}
            </Show>
            <For each={step.details ?? []}>{(line) => <p class="timeline__detail">{line}</p>}</For>
          </li>
        )}
      </For>
    </ol>
  );
}
