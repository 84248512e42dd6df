import { type ArgumentMetadata, type ValidationError, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';

import { isRecord } from '../common/json-values';

/**
 * The global pipe: class-validator's rules on the DTO class-transformer builds, unknown properties a 400 (`property x
 * should not exist`, as forbidNonWhitelisted words it).
 *
 * DECISION: the unknown properties are refused before class-transformer runs, from the same metadata class-validator's
 * whitelist reads, because plainToInstance costs time quadratic in the keys of an object: a body of thousands of
 * unknown keys would block the event loop before the validator refused it. Nest's ValidationPipe has no step before
 * the transformation, hence this subclass. Only the top level is checked here: no DTO nests another; the
 * validator still refuses unknown properties of a nested DTO after the transformation.
 */
export class RequestValidationPipe extends ValidationPipe {
  /** `transformerPackage`: what builds the DTO (tests observe it). */
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
