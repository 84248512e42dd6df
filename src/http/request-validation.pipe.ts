import { type ArgumentMetadata, type ValidationError, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';

import { isRecord } from '../common/json-values';

/**
 * DECISION: unknown properties are refused before class-transformer runs (from class-validator's whitelist
 * metadata): plainToInstance is quadratic in an object's keys, so thousands of unknown keys would block the event
 * loop. Only the top level here: no DTO nests another, and the validator still checks nested ones afterwards.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor(options: Pick<ValidationPipeOptions, 'transformerPackage'> = {}) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      ...options,
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    if (metatype && this.toValidate(metadata) && isRecord(value)) {
      const unknown = this.unknownProperties(metatype, value);
      if (unknown.length > 0) throw await this.exceptionFactory(unknown);
    }
    return super.transform(value, metadata);
  }

  private unknownProperties(metatype: NonNullable<ArgumentMetadata['metatype']>, value: Record<string, unknown>): ValidationError[] {
    const { always = false, strictGroups = false, groups } = this.validatorOptions;
    const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', always, strictGroups, groups);
    const known = new Set(rules.map((rule) => rule.propertyName));
    return Object.keys(value)
      .filter((name) => !known.has(name))
      .map((name) => ({ property: name, constraints: { whitelistValidation: `property ${name} should not exist` } }));
  }
}
