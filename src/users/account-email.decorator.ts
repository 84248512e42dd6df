import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, ValidateBy, type ValidationArguments } from 'class-validator';

import { EMAIL_MAX_LENGTH, emailProblem, normalizeEmailInput } from './email';

export function IsAccountEmail(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ format: 'email', maxLength: EMAIL_MAX_LENGTH, example: 'owner@example-shop.com' }),
    Transform(normalizeEmailInput),
    IsString(),
    MaxLength(EMAIL_MAX_LENGTH),
    ValidateBy({
      name: 'accountEmail',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && emailProblem(value) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} ${typeof args?.value === 'string' ? emailProblem(args.value) : 'must be an email address'}`,
      },
    }),
  );
}
