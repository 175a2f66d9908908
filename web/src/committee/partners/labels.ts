import type { Offer, Partner } from './api';
import { type MessageKey, t } from './messages';

const kinds: Record<Partner['kind'], MessageKey> = {
  garage: 'partnersAdmin.kind.garage',
  training_school: 'partnersAdmin.kind.training_school',
  inspection_station: 'partnersAdmin.kind.inspection_station',
};

const partnerStatuses: Record<Partner['status'], MessageKey> = {
  active: 'partnersAdmin.partnerStatus.active',
  suspended: 'partnersAdmin.partnerStatus.suspended',
};

const categories: Record<Offer['category'], MessageKey> = {
  repair: 'partnersAdmin.category.repair',
  training: 'partnersAdmin.category.training',
  inspection: 'partnersAdmin.category.inspection',
  other: 'partnersAdmin.category.other',
};

const offerStatuses: Record<Offer['status'], MessageKey> = {
  draft: 'partnersAdmin.offerStatus.draft',
  pending_approval: 'partnersAdmin.offerStatus.pending_approval',
  active: 'partnersAdmin.offerStatus.active',
  paused: 'partnersAdmin.offerStatus.paused',
  retired: 'partnersAdmin.offerStatus.retired',
};

const limitPeriods: Record<Offer['limitPeriod'], MessageKey> = {
  day: 'partnersAdmin.limitPeriod.day',
  week: 'partnersAdmin.limitPeriod.week',
  month: 'partnersAdmin.limitPeriod.month',
  year: 'partnersAdmin.limitPeriod.year',
  ever: 'partnersAdmin.limitPeriod.ever',
};

export const partnerKindWords = (kind: Partner['kind']) => t(kinds[kind]);
export const partnerStatusWords = (status: Partner['status']) => t(partnerStatuses[status]);
export const categoryWords = (category: Offer['category']) => t(categories[category]);
export const offerStatusWords = (status: Offer['status']) => t(offerStatuses[status]);
export const limitPeriodWords = (period: Offer['limitPeriod']) => t(limitPeriods[period]);

export const partnerKindList = Object.keys(kinds) as Partner['kind'][];
export const categoryList = Object.keys(categories) as Offer['category'][];
export const limitPeriodList = Object.keys(limitPeriods) as Offer['limitPeriod'][];
