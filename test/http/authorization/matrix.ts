/**
 * Who may do what: every documented operation × every kind of caller, and the answer each must
 * get. `driver` is driver A and `staff` works for partner P1: they own the resources named in
 * paths and bodies (A's claim, report, voucher at P1, notification …; P1's pending offer). The
 * `other…` columns are a second driver (B) and a second partner's staff (P2), so their cells are
 * real cross-tenant attempts with real ids.
 *
 * A row is `METHOD /path` as in the OpenAPI document; a row with a query (`…?driverId=A`) is an
 * extra probe of the same operation. authorization-matrix.test.ts fails when the document has an
 * operation without a row here, or a row names an operation the document no longer has.
 *
 *   allow    2xx
 *   deny401  401 problem: not signed in
 *   deny403  403 problem: signed in, not allowed
 *   deny404  404 problem: someone else's resource is hidden as not found
 */

export const ACTORS = ['anonymous', 'driver', 'otherDriver', 'staff', 'otherStaff', 'committee', 'integration'] as const;
export type Actor = (typeof ACTORS)[number];

export const OUTCOMES = ['allow', 'deny401', 'deny403', 'deny404'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const allow = 'allow';
const deny401 = 'deny401';
const deny403 = 'deny403';
const deny404 = 'deny404';

type Row = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

// prettier-ignore
export const MATRIX: Record<string, Row> = {
  //                                                  anonymous driver   otherDriver staff  otherStaff committee integration
  'POST /api/auth/register':                          [allow,   allow,   allow,   allow,   allow,   allow,   allow  ],
  'POST /api/auth/login':                             [allow,   allow,   allow,   allow,   allow,   allow,   allow  ],
  'POST /api/auth/logout':                            [allow,   allow,   allow,   allow,   allow,   allow,   allow  ],
  'GET /api/me':                                      [deny401, allow,   allow,   allow,   allow,   allow,   allow  ],
  'POST /api/committee/members':                      [deny401, deny403, deny403, deny403, deny403, allow,   deny403],

  'POST /api/partners':                               [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/partners':                                [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'POST /api/partners/{id}/staff':                    [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'POST /api/partners/{id}/settlements':              [deny401, deny403, deny403, deny403, deny403, allow,   deny403],

  'GET /api/me/wallet':                               [deny401, allow,   allow,   deny403, deny403, deny403, deny403],
  'GET /api/me/statement':                            [deny401, allow,   allow,   deny403, deny403, deny403, deny403],
  'GET /api/ledger/accounts/{id}':                    [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/ledger/transfers':                        [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'POST /api/ledger/adjustments':                     [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'POST /api/ledger/transfers/{id}/reverse':          [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/ledger/trial-balance':                    [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/ledger/verify':                           [deny401, deny403, deny403, deny403, deny403, allow,   deny403],

  'GET /api/offers':                                  [deny401, allow,   allow,   allow,   allow,   allow,   allow  ],
  'GET /api/offers?status=pending_approval':          [deny401, deny403, deny403, allow,   allow,   allow,   deny403],
  'GET /api/offers/{id}':                             [deny401, deny404, deny404, allow,   deny404, allow,   deny404],
  'POST /api/offers':                                 [deny401, deny403, deny403, allow,   deny403, allow,   deny403],
  'PATCH /api/offers/{id}':                           [deny401, deny403, deny403, allow,   deny403, allow,   deny403],
  'POST /api/offers/{id}/approve':                    [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/offer-regions':                           [deny401, allow,   allow,   allow,   allow,   allow,   allow  ],
  'POST /api/redemptions':                            [deny401, allow,   allow,   deny403, deny403, deny403, deny403],
  'GET /api/me/redemptions':                          [deny401, allow,   allow,   deny403, deny403, deny403, deny403],
  'GET /api/me/redemptions/{id}':                     [deny401, allow,   deny404, deny403, deny403, deny403, deny403],
  'POST /api/redemptions/{id}/cancel':                [deny401, allow,   deny404, deny403, deny403, deny403, deny403],
  'GET /api/partner/redemptions/lookup':              [deny401, deny403, deny403, allow,   deny403, deny403, deny403],
  'POST /api/partner/redemptions/confirm':            [deny401, deny403, deny403, allow,   deny403, deny403, deny403],
  'POST /api/partner/redemptions/{id}/reject':        [deny401, deny403, deny403, allow,   deny404, deny403, deny403],
  'GET /api/partner/statement':                       [deny401, deny403, deny403, allow,   allow,   deny403, deny403],

  'GET /api/reward-rules':                            [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/reward-rules/{id}':                       [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'POST /api/reward-rules':                           [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'POST /api/reward-rules/{id}/versions':             [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'POST /api/reward-rules/simulate':                  [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/me/earning-rates':                        [deny401, allow,   allow,   deny403, deny403, deny403, deny403],
  'GET /api/programme-settings':                      [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'PUT /api/programme-settings/awards':               [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'PUT /api/programme-settings/expiry':               [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'POST /api/awards':                                 [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/me/points-expiry':                        [deny401, allow,   allow,   deny403, deny403, deny403, deny403],
  'GET /api/me/notifications':                        [deny401, allow,   allow,   allow,   allow,   allow,   allow  ],
  'POST /api/me/notifications/{id}/read':             [deny401, allow,   deny404, deny404, deny404, deny404, deny404],

  'POST /api/appeals':                                [deny401, allow,   deny404, deny403, deny403, deny403, deny403],
  'GET /api/appeals':                                 [deny401, allow,   allow,   deny403, deny403, allow,   deny403],
  'POST /api/appeals/{id}/decide':                    [deny401, deny403, deny403, deny403, deny403, allow,   deny403],

  'POST /api/volunteering':                           [deny401, allow,   allow,   deny403, deny403, deny403, deny403],
  'GET /api/volunteering':                            [deny401, allow,   allow,   deny403, deny403, allow,   deny403],
  'GET /api/volunteering?driverId=A':                 [deny401, allow,   deny403, deny403, deny403, allow,   deny403],
  'GET /api/volunteering/{id}':                       [deny401, allow,   deny404, deny403, deny403, allow,   deny403],
  'POST /api/volunteering/{id}/approve':              [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'POST /api/volunteering/{id}/reject':               [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'POST /api/volunteering/import':                    [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/volunteering/imports':                    [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/volunteering/imports/{id}':               [deny401, deny403, deny403, deny403, deny403, allow,   deny403],

  'POST /api/safety-events':                          [deny401, deny403, deny403, deny403, deny403, allow,   allow  ],
  'GET /api/safety-events':                           [deny401, allow,   allow,   deny403, deny403, allow,   deny403],
  'GET /api/safety-events?driverId=A':                [deny401, allow,   deny403, deny403, deny403, allow,   deny403],
  'GET /api/me/safety':                               [deny401, allow,   allow,   deny403, deny403, deny403, deny403],

  'POST /api/grid-reports':                           [deny401, allow,   allow,   deny403, deny403, deny403, deny403],
  'GET /api/grid-reports':                            [deny401, allow,   allow,   deny403, deny403, allow,   deny403],
  'GET /api/grid-reports?driverId=A':                 [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/grid-reports/{id}':                       [deny401, allow,   deny404, deny403, deny403, allow,   deny403],
  'POST /api/grid-reports/{id}/transition':           [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/photos/{id}':                             [deny401, allow,   deny404, deny404, deny404, allow,   deny404],

  'GET /api/me/rating':                               [deny401, allow,   allow,   deny403, deny403, deny403, deny403],
  'GET /api/drivers/{id}/rating':                     [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/rating-policies':                         [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/rating-policies/{version}':               [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'POST /api/rating-policies':                        [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'POST /api/rating-policies/simulate':               [deny401, deny403, deny403, deny403, deny403, allow,   deny403],

  'GET /api/reports/summary':                         [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/audit-log':                               [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/drivers':                                 [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/drivers/{id}':                            [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
  'GET /api/drivers/{id}/statement':                  [deny401, deny403, deny403, deny403, deny403, allow,   deny403],
};

/** `GET /api/offers?status=…` → `GET /api/offers`: the documented operation a row probes. */
export function operationOf(row: string): string {
  return row.split('?')[0]!;
}

export function expected(row: string, actor: Actor): Outcome {
  return MATRIX[row]![ACTORS.indexOf(actor)]!;
}
