import { formatDate, formatPoints } from '../i18n';
import type { Notification } from './api';
import { formatScore } from './format';
import { t } from './messages';

const text = (data: Notification['data'], name: string): string | undefined => {
  const value = data?.[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * A message's title and body in the person's language when its kind and data are known; the
 * server's own (English) words otherwise.
 */
export function notificationWords(n: Notification): { title: string; body: string } {
  const points = text(n.data, 'points');
  switch (n.kind) {
    case 'points_expiring': {
      const date = text(n.data, 'expiresOn');
      if (!points || !date) break;
      const params = { points: formatPoints(points), date: formatDate(date) };
      return { title: t('shop.notice.expiring.title', params), body: t('shop.notice.expiring.body', params) };
    }
    case 'points_expired': {
      if (!points) break;
      const params = { points: formatPoints(points) };
      return { title: t('shop.notice.expired.title', params), body: t('shop.notice.expired.body', params) };
    }
    case 'rating_changed': {
      const grade = text(n.data, 'grade');
      const score = text(n.data, 'score');
      if (!grade || !score) break;
      const previous = text(n.data, 'previousGrade') ?? 'B';
      const order = ['B', 'A', 'AA', 'AAA'];
      const up = order.indexOf(grade) > order.indexOf(previous);
      const params = { grade, previous, score: formatScore(score) };
      return {
        title: t('shop.notice.rating.title', params),
        body: t(up ? 'shop.notice.rating.up' : 'shop.notice.rating.down', params),
      };
    }
  }
  return { title: n.title, body: n.body };
}
