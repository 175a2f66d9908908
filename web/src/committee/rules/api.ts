import { query } from '@solidjs/router';
import type * as rules from '../../../../api/earning/rules.schemas';
import { http } from '../../api/client';
import type { Wire } from '../../api/wire';

export type RewardRule = Wire<typeof rules.RewardRule>;
export type RuleVersion = Wire<typeof rules.RuleVersion>;
export type RuleTerms = RuleVersion['terms'];
export type RuleActivity = RewardRule['activity'];
export type RuleSimulation = Wire<typeof rules.Simulation>;
export type RuleSimulationBody = Wire<typeof rules.SimulateBody>;
export type NewVersionBody = Wire<typeof rules.NewVersionBody>;
export type CreateRuleBody = Wire<typeof rules.CreateRuleBody>;
export type RuleWithVersion = Wire<typeof rules.RuleWithVersion>;

export const ruleActivities = ['volunteering', 'grid_report', 'safety_streak', 'safety_challenge'] as const satisfies readonly RuleActivity[];

export const getRules = query(() => http.get<Wire<typeof rules.RewardRuleList>>('/api/reward-rules'), 'committee.rules');

export const getRule = query((id: string) => http.get<RewardRule>(`/api/reward-rules/${id}`), 'committee.rule');

export const simulateRules = (body: RuleSimulationBody) => http.post<RuleSimulation>('/api/reward-rules/simulate', body);

export const addRuleVersion = (id: string, body: NewVersionBody) =>
  http.post<RuleWithVersion>(`/api/reward-rules/${id}/versions`, body);

export const createRule = (body: CreateRuleBody) => http.post<RuleWithVersion>('/api/reward-rules', body);
