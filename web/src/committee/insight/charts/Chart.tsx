import { createEffect, createSignal, onCleanup, onMount } from 'solid-js';
import type { ChartSpec } from './spec';
import type { DrawnChart } from './uplot-draw';

type Drawing = typeof import('./uplot-draw');

let loading: Promise<Drawing> | undefined;
/** uPlot's chunk, asked for once however many charts a page shows; a failed load may be retried. */
function loadDrawing(): Promise<Drawing> {
  loading ??= import('./uplot-draw').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * A chart drawn by uPlot, which loads with the first chart shown. Hidden from screen readers:
 * the figure around it carries the same figures as a table.
 */
export function Chart(props: { spec: ChartSpec; onFailure: () => void }) {
  let host!: HTMLDivElement;
  let drawn: DrawnChart | undefined;
  const [drawing, setDrawing] = createSignal<Drawing>();

  onMount(() => {
    let gone = false;
    onCleanup(() => (gone = true));
    loadDrawing().then(
      (module) => !gone && setDrawing(() => module),
      () => !gone && props.onFailure(),
    );
    if (typeof ResizeObserver !== 'undefined') {
      const observer = new ResizeObserver(() => drawn?.resize(host.clientWidth));
      observer.observe(host);
      onCleanup(() => observer.disconnect());
    }
  });

  createEffect(() => {
    const module = drawing();
    if (!module) return;
    const spec = props.spec;
    drawn?.destroy();
    drawn = module.draw(host, spec, host.clientWidth || 320);
  });
  onCleanup(() => drawn?.destroy());

  return <div class="insight-chart" ref={host} aria-hidden="true" />;
}
