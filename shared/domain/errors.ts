// Errors the domain can name. One middleware maps them to API.md's error shape.

export interface ErrorDetail {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly httpStatus: number;
  readonly details?: ErrorDetail[];

  constructor(message: string, details?: ErrorDetail[]) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class ValidationFailed extends DomainError {
  readonly code = 'validation_error';
  readonly httpStatus = 400;
}

export class InvalidJson extends DomainError {
  readonly code = 'invalid_json';
  readonly httpStatus = 400;
}

export class Unauthorized extends DomainError {
  readonly code = 'unauthorized';
  readonly httpStatus = 401;
}

export class Forbidden extends DomainError {
  readonly code = 'forbidden';
  readonly httpStatus = 403;
}

export class NotFound extends DomainError {
  readonly code = 'not_found';
  readonly httpStatus = 404;
}

export class InvalidTransition extends DomainError {
  readonly code = 'invalid_transition';
  readonly httpStatus = 409;

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
  readonly httpStatus = 409;
}

export class PayloadTooLarge extends DomainError {
  readonly code = 'payload_too_large';
  readonly httpStatus = 413;
}

export class UnsupportedMediaType extends DomainError {
  readonly code = 'unsupported_media_type';
  readonly httpStatus = 415;
}

export class IdempotencyKeyReused extends DomainError {
  readonly code = 'idempotency_key_reused';
  readonly httpStatus = 422;
}

export class RateLimited extends DomainError {
  readonly code = 'rate_limited';
  readonly httpStatus = 429;
}
