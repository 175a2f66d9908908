import { render, screen } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { LanguageSwitcher } from '../../web/src/components/LanguageSwitcher';
import { formatPoints, language, setLanguage, t } from '../../web/src/i18n';

describe('i18n', () => {
  it('switches language, re-renders the words and remembers the choice', async () => {
    setLanguage('en');
    render(() => (
      <>
        <LanguageSwitcher />
        <p>{t('nav.shop')}</p>
      </>
    ));
    expect(screen.getByText('Shop')).toBeTruthy();

    await userEvent.selectOptions(screen.getByLabelText(/Language|语言/), 'zh-CN');

    expect(screen.getByText('商城')).toBeTruthy();
    expect(language()).toBe('zh-CN');
    expect(localStorage.getItem('milepost.language')).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
    setLanguage('en');
  });

  it('formats decimal points per locale without passing through a JS number', () => {
    setLanguage('en');
    expect(formatPoints('1234567.125')).toBe('1,234,567.125');
    // 2^53 + 1 is not a JS number; as a string it survives exactly.
    expect(formatPoints('9007199254740993')).toBe('9,007,199,254,740,993');
    setLanguage('zh-CN');
    expect(formatPoints('1234.5')).toBe('1,234.5');
    setLanguage('en');
  });
});
