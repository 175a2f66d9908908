import { type Accessor, createSignal } from 'solid-js';

/**
 * "Simulate before you save": keeps the latest simulation with the draft it was run for. The
 * draft may be saved only while it is exactly the one simulated; any change asks for a new run
 * (changing it back makes the old run good again).
 */
export function createSimulationGate<Result>(draftKey: Accessor<string>) {
  const [run, setRun] = createSignal<{ key: string; result: Result }>();
  const [pending, setPending] = createSignal(false);

  return {
    result: () => run()?.result,
    /** The shown result is for the draft as it is now. */
    current: () => {
      const latest = run();
      return latest !== undefined && latest.key === draftKey();
    },
    pending,
    async simulate(call: () => Promise<Result>, onError: (error: unknown) => void): Promise<void> {
      const key = draftKey();
      setPending(true);
      try {
        setRun({ key, result: await call() });
      } catch (error) {
        onError(error);
      } finally {
        setPending(false);
      }
    },
  };
}

export type SimulationGate<Result> = ReturnType<typeof createSimulationGate<Result>>;
