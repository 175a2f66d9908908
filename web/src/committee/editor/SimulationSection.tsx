import { Show, type Accessor, type JSX } from 'solid-js';
import { t } from '../messages';
import type { SimulationGate } from './simulation-gate';

interface SimulationSectionProps<Result> {
  /** The heading's id, which labels the section. */
  headingId: string;
  intro: string;
  gate: SimulationGate<Result>;
  onSimulate: () => void;
  /** What the simulation shows; marked stale once the draft changes after the run. */
  result: (result: Accessor<Result>) => JSX.Element;
  /** Inputs of the run itself (a period), above its button. */
  children?: JSX.Element;
}

/** "Simulate": runs the draft against real data and shows what it would do, before it may be saved. */
export function SimulationSection<Result>(props: SimulationSectionProps<Result>) {
  return (
    <section class="editor-group editor-simulation" aria-labelledby={props.headingId}>
      <h2 id={props.headingId}>{t('editor.simTitle')}</h2>
      <p class="field__hint">{props.intro}</p>
      {props.children}
      <button type="button" class="button" disabled={props.gate.pending()} onClick={() => props.onSimulate()}>
        {props.gate.pending() ? t('editor.simRunning') : t('editor.simRun')}
      </button>
      <Show when={props.gate.result()}>
        {(result) => <div classList={{ 'simulation--stale': !props.gate.current() }}>{props.result(result)}</div>}
      </Show>
    </section>
  );
}
