import { For } from 'solid-js';
import { isLanguage, language, languageNames, setLanguage, t } from '../i18n';

export function LanguageSwitcher() {
  return (
    <label class="language">
      <span class="visually-hidden">{t('lang.label')}</span>
      <select
        class="language__select"
        value={language()}
        onChange={(event) => {
          const next = event.currentTarget.value;
          if (isLanguage(next)) setLanguage(next);
        }}
      >
        <For each={Object.entries(languageNames)}>
          {([code, name]) => (
            <option value={code} lang={code}>
              {name}
            </option>
          )}
        </For>
      </select>
    </label>
  );
}
