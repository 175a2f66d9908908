import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every failure a client can see has a stable code. The code decides the HTTP status and the
 * problem `type` (RFC 9457); the detail says, in words, what to do about it.
 */
const problems = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_request: { status: 400, title: 'The request body could not be read' },
  unauthenticated: { status: 401, title: 'Sign in first' },
  invalid_credentials: { status: 401, title: 'Wrong phone number or password' },
  csrf_failed: { status: 403, title: 'Missing or wrong CSRF token' },
  forbidden: { status: 403, title: 'Not allowed for your role' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  phone_taken: { status: 409, title: 'That phone number is already registered' },
  idempotency_conflict: { status: 409, title: 'Idempotency key reused with a different request' },
  hold_already_resolved: { status: 409, title: 'The hold was already posted or voided' },
  already_reversed: { status: 409, title: 'The transfer was already reversed' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  unprocessable: { status: 422, title: 'The request cannot be carried out' },
  insufficient_funds: { status: 422, title: 'Not enough points available' },
  invalid_amount: { status: 422, title: 'Invalid amount' },
  same_account: { status: 422, title: 'Debit and credit accounts are the same' },
  invalid_expiry: { status: 422, title: 'Invalid expiry' },
  hold_expired: { status: 422, title: 'The hold has expired' },
  not_reversible: { status: 422, title: 'This transfer cannot be reversed' },
  account_not_found: { status: 404, title: 'Ledger account not found' },
  hold_not_found: { status: 404, title: 'Hold not found' },
  transfer_not_found: { status: 404, title: 'Transfer not found' },
  offer_not_found: { status: 404, title: 'Offer not found' },
  offer_not_active: { status: 422, title: 'The offer is not open for redemption' },
  out_of_stock: { status: 409, title: 'The offer is out of stock' },
  grade_too_low: { status: 422, title: 'Your credit grade does not qualify for this offer' },
  limit_reached: { status: 422, title: 'You have reached the limit for this offer' },
  invalid_transition: { status: 409, title: 'The offer cannot move to that status' },
  redemption_not_found: { status: 404, title: 'Redemption not found' },
  redemption_not_open: { status: 409, title: 'The redemption is no longer open' },
  voucher_typo: { status: 422, title: 'The voucher code has a typo' },
  voucher_not_found: { status: 404, title: 'No voucher with this code' },
  voucher_wrong_partner: { status: 403, title: 'This voucher is for another partner' },
  voucher_used: { status: 409, title: 'The voucher was already used' },
  voucher_cancelled: { status: 409, title: 'The voucher was cancelled' },
  voucher_rejected: { status: 409, title: 'The voucher was rejected by the partner' },
  voucher_expired: { status: 422, title: 'The voucher has expired' },
  claim_not_found: { status: 404, title: 'Volunteering claim not found' },
  claim_already_decided: { status: 409, title: 'The claim was already approved or rejected' },
  import_not_found: { status: 404, title: 'Attendance import not found' },
  csv_encoding: { status: 422, title: 'The file is not UTF-8 text' },
  csv_invalid: { status: 422, title: 'The file is not an attendance CSV' },
  csv_empty: { status: 422, title: 'The file has no data rows' },
  rule_not_found: { status: 404, title: 'Reward rule not found' },
  rule_exists: { status: 409, title: 'This activity already has a reward rule' },
  effective_in_past: { status: 422, title: 'A rule version cannot take effect in the past' },
  invalid_terms: { status: 422, title: 'The terms do not fit the activity' },
  invalid_period: { status: 422, title: 'The period is not valid' },
  image_too_large: { status: 413, title: 'The image is too large' },
  invalid_image: { status: 422, title: 'The image is damaged or carries other content' },
  photo_not_found: { status: 404, title: 'Photo not found' },
  grid_report_not_found: { status: 404, title: 'Grid report not found' },
  report_transition_invalid: { status: 409, title: 'The report cannot move to that status' },
  award_too_large: { status: 422, title: 'The award is above the programme maximum' },
  not_appealable: { status: 422, title: 'This cannot be appealed' },
  appeal_open: { status: 409, title: 'An appeal on this is already open' },
  appeal_decided: { status: 409, title: 'The appeal was already decided' },
  appeal_not_found: { status: 404, title: 'Appeal not found' },
  safety_event_invalid: { status: 422, title: 'A safety event in the batch is not valid; nothing was recorded' },
  invalid_rating_policy: { status: 422, title: 'The rating policy is not consistent' },
  rating_policy_in_past: { status: 422, title: 'A rating policy version cannot take effect in the past' },
  rating_policy_not_found: { status: 404, title: 'Rating policy version not found' },
  rate_limited: { status: 429, title: 'Too many attempts' },
  internal: { status: 500, title: 'Something went wrong on our side' },
  unavailable: { status: 503, title: 'The service is temporarily unavailable' },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ProblemCode = keyof typeof problems;
export const problemCodes = Object.keys(problems) as ProblemCode[];

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ProblemCode;
  readonly fields?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(code: ProblemCode, detail?: string, extra: { fields?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(detail ?? problems[code].title);
    this.name = 'AppError';
    this.code = code;
    this.fields = extra.fields;
    this.headers = extra.headers;
  }

  get status(): ContentfulStatusCode {
    return problems[this.code].status;
  }
}

export function isProblemCode(code: string): code is ProblemCode {
  return code in problems;
}

export function problemType(code: ProblemCode): string {
  return `https://milepost.dev/problems/${code.replaceAll('_', '-')}`;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ProblemCode;
  errors?: FieldError[];
}

export function toProblem(error: AppError, instance?: string): Problem {
  return {
    type: problemType(error.code),
    title: problems[error.code].title,
    status: error.status,
    detail: error.message,
    instance,
    code: error.code,
    ...(error.fields ? { errors: error.fields } : {}),
  };
}
