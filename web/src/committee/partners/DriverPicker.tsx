import { For, Show, createSignal, onCleanup } from 'solid-js';
import { errorWords } from '../../api/error-words';
import { fieldId } from '../../components/Field';
import { type DriverSummary, getDriver, searchDrivers } from './api';
import { t } from './messages';
import { problemCode } from '../../api/client';

/** The driver a form acts on. A pasted id the API could not name has the id only. */
export interface ChosenDriver {
  id: string;
  name?: string;
  phone?: string;
  plateNumber?: string | null;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const waitMs = 300;

export function driverWords(driver: ChosenDriver): string {
  if (!driver.name) return t('partnersAdmin.driver.byId', { id: driver.id });
  return [driver.name, driver.plateNumber, driver.phone].filter(Boolean).join(' · ');
}

/**
 * Finds the driver by name, phone or plate (GET /api/drivers?q=), or takes a pasted driver id,
 * which it names when it can.
 */
export function DriverPicker(props: { form: string; chosen: ChosenDriver | undefined; onChoose: (driver: ChosenDriver | undefined) => void; error?: string }) {
  const id = () => fieldId(props.form, 'driverId');
  const [searching, setSearching] = createSignal(false);
  const [matches, setMatches] = createSignal<DriverSummary[]>();
  const [problem, setProblem] = createSignal<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;
  onCleanup(() => {
    clearTimeout(timer);
    inFlight?.abort();
  });

  async function look(text: string) {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    setSearching(true);
    setMatches(undefined);
    setProblem(undefined);
    try {
      if (uuid.test(text)) {
        // A driver the API cannot name right now is still an id the award will check.
        const driver: ChosenDriver = await getDriver(text, controller.signal).catch((error: unknown) => {
          if (problemCode(error) === 'not-found') throw error;
          return { id: text };
        });
        if (!controller.signal.aborted) props.onChoose({ id: driver.id, name: driver.name, phone: driver.phone, plateNumber: driver.plateNumber });
        return;
      }
      const page = await searchDrivers(text, controller.signal);
      if (!controller.signal.aborted) setMatches(page.items);
    } catch (error) {
      if (controller.signal.aborted) return;
      setProblem(
        uuid.test(text) ? t('partnersAdmin.driver.noSuchId') : t('partnersAdmin.driver.searchFailed', { message: errorWords(error).message }),
      );
    } finally {
      if (inFlight === controller) setSearching(false);
    }
  }

  function typed(value: string) {
    clearTimeout(timer);
    const text = value.trim();
    if (text.length < 2) {
      inFlight?.abort();
      setMatches(undefined);
      setProblem(undefined);
      return;
    }
    timer = setTimeout(() => void look(text), waitMs);
  }

  return (
    <div class="field admin-picker" classList={{ 'field--invalid': Boolean(props.error) }}>
      <Show
        when={props.chosen}
        fallback={
          <>
            <label for={id()}>{t('partnersAdmin.driver.label')}</label>
            <p class="field__hint" id={`${id()}-hint`}>
              {t('partnersAdmin.driver.hint')}
            </p>
            <Show when={props.error}>
              {(error) => (
                <p class="field__error" id={`${id()}-error`}>
                  {error()}
                </p>
              )}
            </Show>
            <input
              id={id()}
              type="search"
              autocomplete="off"
              spellcheck={false}
              aria-invalid={props.error ? 'true' : undefined}
              aria-describedby={props.error ? `${id()}-hint ${id()}-error` : `${id()}-hint`}
              onInput={(event) => typed(event.currentTarget.value)}
            />
            <div role="status" class="admin-picker__status">
              <Show when={searching()}>{t('partnersAdmin.driver.searching')}</Show>
              <Show when={problem()}>{(message) => <p class="field__error">{message()}</p>}</Show>
              <Show when={matches()}>
                {(items) => (items().length > 0 ? t('partnersAdmin.driver.found', { count: items().length }) : t('partnersAdmin.driver.none'))}
              </Show>
            </div>
            <Show when={matches()?.length ? matches() : undefined}>
              {(items) => (
                <ul class="admin-picker__results" aria-label={t('partnersAdmin.driver.results')}>
                  <For each={items()}>
                    {(driver) => (
                      <li>
                        <button
                          type="button"
                          class="admin-picker__result"
                          onClick={() => {
                            setMatches(undefined);
                            props.onChoose(driver);
                          }}
                        >
                          <span class="admin-picker__name">{driver.name}</span>
                          <span class="admin-meta">
                            {[driver.plateNumber, driver.phone, driver.grade ? t('partnersAdmin.driver.grade', { grade: driver.grade }) : null].filter(Boolean).join(' · ')}
                          </span>
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
              )}
            </Show>
          </>
        }
      >
        {(driver) => (
          <>
            <p class="admin-picker__label">{t('partnersAdmin.driver.label')}</p>
            <p class="admin-picker__chosen">{driverWords(driver())}</p>
            <button
              type="button"
              class="button button--small"
              onClick={() => {
                props.onChoose(undefined);
                queueMicrotask(() => document.getElementById(id())?.focus());
              }}
            >
              {t('partnersAdmin.driver.change')}
            </button>
          </>
        )}
      </Show>
    </div>
  );
}
