import { query } from '@solidjs/router';
import type * as rating from '../../../../api/rating/rating.schemas';
import { http } from '../../api/client';
import type { Wire } from '../../api/wire';

export type Grade = Wire<typeof rating.GradeSchema>;
export type PolicyList = Wire<typeof rating.PolicyList>;
export type PolicyVersion = Wire<typeof rating.PolicyVersionSchema>;
export type RatingPolicy = PolicyVersion['policy'];
export type PolicySimulation = Wire<typeof rating.SimulationSchema>;
export type CreatePolicyBody = Wire<typeof rating.CreatePolicyBody>;
export type CreatedPolicy = Wire<typeof rating.CreatedPolicy>;

export const grades = ['AAA', 'AA', 'A', 'B'] as const satisfies readonly Grade[];

export const getPolicies = query(() => http.get<PolicyList>('/api/rating-policies'), 'committee.ratingPolicies');

export const simulatePolicy = (policy: RatingPolicy) =>
  http.post<PolicySimulation>('/api/rating-policies/simulate', { policy });

export const createPolicy = (body: CreatePolicyBody) => http.post<CreatedPolicy>('/api/rating-policies', body);
