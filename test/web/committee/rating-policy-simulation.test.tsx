import { screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import PolicyEditPage from '../../../web/src/committee/rating/PolicyEditPage';
import RatingPolicyPage from '../../../web/src/committee/rating/RatingPolicyPage';
import type { PolicyVersion, RatingPolicy } from '../../../web/src/committee/rating/api';
import { setLanguage } from '../../../web/src/i18n';
import { fakeApi, renderPage, reply } from '../support/render';
import { committee } from './fixtures';

const policy: RatingPolicy = {
  windowDays: 365,
  safety: { weight: '50', deductions: { minorViolation: '5', majorViolation: '15', atFaultAccident: '20', seriousAccident: '50' } },
  volunteering: { weight: '30', pointsPerHour: '1.5', maxHours: '20' },
  reporting: { weight: '20', pointsPerReport: '2', maxReports: 10 },
  grades: {
    AAA: { minScore: '85', maxMajorViolations: 0, maxAtFaultAccidents: 0, minStreakDays: 100 },
    AA: { minScore: '70', maxSeriousAccidents: 0 },
    A: { minScore: '55' },
  },
  benefits: {
    AAA: { earningMultiplier: '1.2', priceDiscount: '0.10' },
    AA: { earningMultiplier: '1.1', priceDiscount: '0.05' },
    A: { earningMultiplier: '1', priceDiscount: '0' },
    B: { earningMultiplier: '1', priceDiscount: '0' },
  },
};
const v1: PolicyVersion = {
  id: '00000000-0000-4000-8000-000000000301',
  version: 1,
  effectiveFrom: '2026-01-01T00:00:00.000Z',
  inForce: true,
  policy,
  note: 'Programme defaults',
  createdBy: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('the rating policy', () => {
  beforeEach(() => setLanguage('en'));

  it('shows the policy in force with its grades and benefits, and its history', async () => {
    fakeApi({ 'GET /api/me': () => committee, 'GET /api/rating-policies': () => ({ inForce: 1, items: [v1] }) });
    renderPage(RatingPolicyPage, { url: '/console/rating-policy' });
    const current = await screen.findByRole('region', { name: /In force: version 1/ });
    const aaa = within(current).getByRole('row', { name: /AAA/ });
    expect(aaa.textContent).toContain('score 85 or more');
    expect(aaa.textContent).toContain('a streak of 100 days without a violation');
    expect(aaa.textContent).toContain('10 %');
    expect(screen.getByRole('heading', { name: 'Version history' })).toBeTruthy();
  });

  it('simulates the draft’s grade distribution before it can be saved, then saves it', async () => {
    const api = fakeApi({
      'GET /api/me': () => committee,
      'GET /api/rating-policies': () => ({ inForce: 1, items: [v1] }),
      'POST /api/rating-policies/simulate': () => ({
        asOf: '2026-06-08T02:00:00.000Z',
        policyVersion: 1,
        drivers: 100,
        today: { AAA: 10, AA: 30, A: 40, B: 20 },
        draft: { AAA: 6, AA: 34, A: 40, B: 20 },
        movedUp: 0,
        movedDown: 4,
        unchanged: 96,
        moves: [{ from: 'AAA', to: 'AA', drivers: 4 }],
      }),
      'POST /api/rating-policies': ({ body }) =>
        reply(201, { ...v1, id: 'v2', version: 2, inForce: true, ...(body as object), regrade: { asOf: v1.createdAt, policyVersion: 2, drivers: 100, changed: 4, history: 4, gradeChanges: 4, millis: 12 } }),
    });
    const user = userEvent.setup();
    renderPage(PolicyEditPage, { url: '/console/rating-policy/new' });

    const aaaScore = (await screen.findByLabelText('AAA: lowest score')) as HTMLInputElement;
    expect(aaaScore.value).toBe('85');
    const saveButton = screen.getByRole('button', { name: 'Save new version' }) as HTMLButtonElement;
    expect(saveButton.disabled).toBe(true);

    await user.clear(aaaScore);
    await user.type(aaaScore, '88');
    await user.type(screen.getByLabelText('AA: most minor violations'), '3');
    await user.click(screen.getByRole('button', { name: 'Run simulation' }));

    const table = await screen.findByRole('table', { name: /Drivers per grade/ });
    expect(within(table).getByRole('row', { name: /AAA/ }).textContent).toBe('AAA106-4');
    expect(screen.getByText('AAA → AA: 4 drivers')).toBeTruthy();
    const draft = api.calls.find((call) => call.path === '/api/rating-policies/simulate')?.body as { policy: RatingPolicy };
    expect(draft.policy.grades.AAA.minScore).toBe('88');
    expect(draft.policy.grades.AA).toEqual({ minScore: '70', maxMinorViolations: 3, maxSeriousAccidents: 0 });
    expect(draft.policy.benefits.AA).toEqual({ earningMultiplier: '1.1', priceDiscount: '0.05' });

    expect(saveButton.disabled).toBe(false);
    await user.click(saveButton);
    expect(await screen.findByText(/elsewhere: \/console\/rating-policy\?saved=2&regraded=100&changed=4/)).toBeTruthy();
    const saved = api.calls.find((call) => call.method === 'POST' && call.path === '/api/rating-policies')?.body;
    expect(saved).toEqual({ policy: draft.policy });
  });

  it('puts the API’s consistency problems next to the inputs they name', async () => {
    fakeApi({
      'GET /api/me': () => committee,
      'GET /api/rating-policies': () => ({ inForce: 1, items: [v1] }),
      'POST /api/rating-policies/simulate': () =>
        reply(422, {
          type: 'https://milepost.dev/problems/invalid-rating-policy',
          title: 'The rating policy is not consistent',
          status: 422,
          detail: 'weights: …',
          errors: [
            { path: 'weights', message: 'safety 60 + volunteering 30 + reporting 20 = 110; the weights must add up to 100' },
            { path: 'grades.AA.minScore', message: 'AA (90) must need more than A (55)' },
          ],
        }),
    });
    const user = userEvent.setup();
    renderPage(PolicyEditPage, { url: '/console/rating-policy/new' });
    const safety = (await screen.findByLabelText('Safety weight')) as HTMLInputElement;
    await user.clear(safety);
    await user.type(safety, '60');
    await user.click(screen.getByRole('button', { name: 'Run simulation' }));

    expect(await screen.findByRole('link', { name: /Weights: safety 60/ })).toBeTruthy();
    expect(screen.getByLabelText('AA: lowest score').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('link', { name: 'AA: lowest score: AA (90) must need more than A (55)' })).toBeTruthy();
    expect(screen.getByText('AA (90) must need more than A (55)', { selector: '.field__error' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save new version' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
