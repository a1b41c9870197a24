import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainErrorCode, DomainException, type FieldError } from '../../../../libs/domain/src';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return own.concat(flatten(e.children ?? [], field));
  });
}

/** Whitelisting, transforming validation whose errors name each field and rule (422 problem+json). */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      return new DomainException(
        DomainErrorCode.VALIDATION_FAILED,
        `The request is invalid: ${fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`,
        fieldErrors,
      );
    },
  });
}
