// Errors the domain can name, each with the code API.md shows. Transports give them their meaning:
// the HTTP middleware alone maps each code to a status.

export type ErrorCode =
  | 'validation_error'
  | 'invalid_json'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_transition'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'idempotency_key_reused'
  | 'rate_limited';

export interface ErrorDetail {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  readonly details?: ErrorDetail[];

  constructor(message: string, details?: ErrorDetail[]) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class ValidationFailed extends DomainError {
  readonly code = 'validation_error';
}

export class InvalidJson extends DomainError {
  readonly code = 'invalid_json';
}

export class Unauthorized extends DomainError {
  readonly code = 'unauthorized';
}

export class Forbidden extends DomainError {
  readonly code = 'forbidden';
}

export class NotFound extends DomainError {
  readonly code = 'not_found';
}

export class InvalidTransition extends DomainError {
  readonly code = 'invalid_transition';

  readonly currentStatus: string;

  constructor(currentStatus: string, attempted: string) {
    super(`Cannot ${attempted} a case that is ${currentStatus}`, [
      { path: 'status', message: currentStatus },
    ]);
    this.currentStatus = currentStatus;
  }
}

export class Conflict extends DomainError {
  readonly code = 'conflict';
}

export class PayloadTooLarge extends DomainError {
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaType extends DomainError {
  readonly code = 'unsupported_media_type';
}

export class IdempotencyKeyReused extends DomainError {
  readonly code = 'idempotency_key_reused';
}

/** Beyond an abuse limit: the limit's name goes in `details`, and the caller may retry after `retryAfterSeconds`. */
export class RateLimited extends DomainError {
  readonly code = 'rate_limited';

  readonly limit: string;
  readonly retryAfterSeconds: number;

  constructor(limit: string, retryAfterSeconds: number) {
    super('Too many requests; try again later', [{ path: 'limit', message: limit }]);
    this.limit = limit;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
