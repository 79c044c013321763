import type { ErrorCode } from '@charter/shared';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error the API reports to the caller as `{error: {code, message, details}}`. Anything thrown
 * that is not an ApiError is a bug: it is logged and answered with a generic 500.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode | string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const validationError = (message: string, details?: unknown) =>
  new ApiError(400, 'validation_error', message, details);

export const unauthenticated = (message = 'Sign in to continue.') => new ApiError(401, 'unauthenticated', message);

export const forbidden = (message = 'You do not have permission to do this.') => new ApiError(403, 'forbidden', message);

export const notFound = (what = 'This item') => new ApiError(404, 'not_found', `${what} was not found.`);

export const conflict = (code: ErrorCode | string, message: string, details?: unknown) =>
  new ApiError(409, code, message, details);

export const rateLimited = (retryAfterSeconds: number, message = 'Too many attempts. Wait a moment and try again.') =>
  new ApiError(429, 'rate_limited', message, { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });

export const storageUnavailable = () =>
  new ApiError(503, 'storage_unavailable', 'The server cannot save changes right now. Nothing was changed; try again shortly.');
