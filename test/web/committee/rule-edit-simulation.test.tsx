import { screen, waitFor } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import RuleEditPage from '../../../web/src/committee/rules/RuleEditPage';
import type { RewardRule, RuleSimulation } from '../../../web/src/committee/rules/api';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, renderPage, reply } from '../support/render';
import { committee } from './fixtures';

const ruleId = '00000000-0000-4000-8000-000000000101';
const v1 = {
  id: '00000000-0000-4000-8000-000000000201',
  version: 1,
  effectiveFrom: '2026-01-01T00:00:00.000Z',
  enabled: true,
  terms: { points: '10', unit: 'hour' as const, caps: { month: '40' } },
  note: null,
  status: 'in_force' as const,
  createdBy: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const rule: RewardRule = {
  id: ruleId,
  activity: 'volunteering',
  name: 'Volunteering hours',
  createdAt: '2026-01-01T00:00:00.000Z',
  current: v1,
  scheduled: [],
  history: [v1],
};
const simulation: RuleSimulation = {
  from: '2026-05-01T00:00:00.000Z',
  to: '2026-06-01T00:00:00.000Z',
  totals: {
    actualPoints: '4000.00',
    simulatedPoints: '4800.00',
    difference: '800.00',
    activities: 120,
    drivers: 35,
    driversPaidActual: 35,
    driversPaidSimulated: 35,
  },
  byActivity: [
    { activity: 'volunteering', termsFrom: 'draft', activities: 100, drivers: 30, actualPoints: '3000.00', simulatedPoints: '3800.00', difference: '800.00' },
    { activity: 'grid_report', termsFrom: 'in_force', activities: 20, drivers: 12, actualPoints: '1000.00', simulatedPoints: '1000.00', difference: '0.00' },
  ],
  topChanges: [{ driverId: 'd1', name: 'Li Wei', plateNumber: '粤B12345', actualPoints: '400.00', simulatedPoints: '480.00', difference: '80.00' }],
};

const save = () => screen.getByRole('button', { name: 'Save new version' }) as HTMLButtonElement;

describe('editing a reward rule', () => {
  beforeEach(() => setLanguage('en'));

  it('runs the simulation before the save is enabled, then saves a new version from the effective date', async () => {
    const api = fakeApi({
      'GET /api/me': () => committee,
      [`GET /api/reward-rules/${ruleId}`]: () => rule,
      'POST /api/reward-rules/simulate': () => simulation,
      [`POST /api/reward-rules/${ruleId}/versions`]: ({ body }) =>
        reply(201, { rule, version: { ...v1, id: 'v2', version: 2, ...(body as object), status: 'scheduled' } }),
    });
    const user = userEvent.setup();
    renderPage(RuleEditPage, { url: `/console/rules/${ruleId}/edit`, path: '/console/rules/:id/edit' });

    expect(await screen.findByRole('heading', { name: 'Volunteering hours: version 2' })).toBeTruthy();
    const points = screen.getByLabelText('Points per hour') as HTMLInputElement;
    expect(points.value).toBe('10');
    expect(points.getAttribute('inputmode')).toBe('decimal');
    expect((screen.getByLabelText('A month') as HTMLInputElement).value).toBe('40');
    expect(save().disabled).toBe(true);

    await user.clear(points);
    await user.type(points, '12.5');
    await user.click(screen.getByLabelText('From the start of a later day'));
    await user.type(screen.getByLabelText('Effective date'), '2030-07-01');
    await user.type(screen.getByLabelText('Why this change'), 'Exam season: hours count more');
    expect(save().disabled).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Run simulation' }));
    expect(await screen.findByRole('heading', { name: 'What this draft would have paid' })).toBeTruthy();
    const simulated = api.calls.find((call) => call.path === '/api/reward-rules/simulate');
    expect(simulated?.body).toMatchObject({
      rules: { volunteering: { points: '12.5', unit: 'hour', caps: { month: '40' } } },
      from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T00:00:00\+08:00$/),
      to: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T00:00:00\+08:00$/),
    });
    expect(screen.getByText('+800 pts', { selector: '.simulation__totals dd' })).toBeTruthy();
    expect(screen.getByRole('rowheader', { name: /Li Wei/ })).toBeTruthy();
    await waitFor(() => expect(save().disabled).toBe(false));

    // A change after the simulation asks for a new one; changing it back does not.
    await user.type(points, '0');
    expect(save().disabled).toBe(true);
    expect(screen.getByText('The draft changed since the simulation: run it again to save.')).toBeTruthy();
    await user.type(points, '{Backspace}');
    expect(save().disabled).toBe(false);

    await user.click(save());

    expect(await screen.findByText(`elsewhere: /console/rules/${ruleId}?saved=2`)).toBeTruthy();
    const posted = api.calls.filter((call) => call.method === 'POST').map((call) => call.path);
    expect(posted).toEqual(['/api/reward-rules/simulate', `/api/reward-rules/${ruleId}/versions`]);
    expect(api.calls.find((call) => call.path.endsWith('/versions'))?.body).toEqual({
      effectiveFrom: '2030-07-01T00:00:00+08:00',
      enabled: true,
      terms: { points: '12.5', unit: 'hour', caps: { month: '40' } },
      note: 'Exam season: hours count more',
    });
  });

  it('shows the API’s problems with the draft next to the fields they name', async () => {
    fakeApi({
      'GET /api/me': () => committee,
      [`GET /api/reward-rules/${ruleId}`]: () => rule,
      'POST /api/reward-rules/simulate': () =>
        reply(422, {
          type: 'https://milepost.dev/problems/invalid-terms',
          title: 'The terms do not fit the activity',
          status: 422,
          detail: 'volunteering: rules.volunteering.caps.month: a cap must be above zero (leave it out for no cap)',
          errors: [{ path: 'rules.volunteering.caps.month', message: 'a cap must be above zero (leave it out for no cap)' }],
        }),
    });
    const user = userEvent.setup();
    renderPage(RuleEditPage, { url: `/console/rules/${ruleId}/edit`, path: '/console/rules/:id/edit' });
    const cap = (await screen.findByLabelText('A month')) as HTMLInputElement;
    await user.clear(cap);
    await user.type(cap, '0');
    await user.click(screen.getByRole('button', { name: 'Run simulation' }));

    const summary = await screen.findByRole('link', { name: 'A month: a cap must be above zero (leave it out for no cap)' });
    expect(summary).toBeTruthy();
    expect(cap.getAttribute('aria-invalid')).toBe('true');
    const described = cap.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('a cap must be above zero (leave it out for no cap)');
    expect(save().disabled).toBe(true);
  });
});
