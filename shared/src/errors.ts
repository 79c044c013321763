/** Error codes of the public contract, with the HTTP status each travels with. */
export const ERROR_STATUS = {
  validation_error: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  email_taken: 409,
  already_signed: 409,
  already_member: 409,
  conflict: 409,
  not_finalised: 409,
  already_finalised: 409,
  not_drafting: 409,
  last_secretariat: 409,
  withdrawn: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  storage_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The body of every error the API returns. */
export interface ErrorBody {
  error: { code: ErrorCode | string; message: string; details?: unknown };
}
