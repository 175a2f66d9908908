import { createContext, useContext, type JSX } from 'solid-js';

/** Thrown when a `useX()` hook runs outside its `<XProvider>`, so the mistake names itself. */
export class MissingProviderError extends Error {
  override name = 'MissingProviderError';
  constructor(context: string) {
    super(`use${context}() was called outside <${context}Provider>`);
  }
}

/**
 * A context whose reader throws MissingProviderError instead of handing back `undefined`
 * (after sst/console's `createInitializedContext`).
 */
export function createNamedContext<T>(name: string) {
  const Context = createContext<T>();

  function Provider(props: { value: T; children: JSX.Element }) {
    return <Context.Provider value={props.value}>{props.children}</Context.Provider>;
  }

  function use(): T {
    const value = useContext(Context);
    if (value === undefined) throw new MissingProviderError(name);
    return value;
  }

  return { Provider, use };
}
