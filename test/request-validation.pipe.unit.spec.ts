import { jest } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';
import * as classTransformer from 'class-transformer';

import { RegisterDto } from '../src/auth/dto/credentials.dto';
import { RequestValidationPipe } from '../src/http/request-validation.pipe';
import { CreateQuoteSessionDto } from '../src/quotes/dto/create-quote-session.dto';

/** The pipe the app uses, with class-transformer's plainToInstance counted. */
function countingPipe(): { pipe: RequestValidationPipe; plainToInstance: jest.SpiedFunction<typeof classTransformer.plainToInstance> } {
  const transformer = { plainToInstance: classTransformer.plainToInstance, classToPlain: classTransformer.classToPlain };
  const plainToInstance = jest.spyOn(transformer, 'plainToInstance');
  return { pipe: new RequestValidationPipe({ transformerPackage: transformer }), plainToInstance };
}

async function messagesOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(BadRequestException);
  return ((error as BadRequestException).getResponse() as { message: unknown }).message;
}

describe('the global validation pipe', () => {
  it('refuses 4,000 unknown properties by name without building the DTO', async () => {
    const { pipe, plainToInstance } = countingPipe();
    const body = Object.fromEntries(Array.from({ length: 4000 }, (_, index) => [`k${index}`, index]));
    const messages = await messagesOf(pipe.transform(body, { type: 'body', metatype: CreateQuoteSessionDto }));
    expect(messages).toHaveLength(4000);
    expect((messages as string[]).slice(0, 2)).toEqual(['property k0 should not exist', 'property k1 should not exist']);
    expect(plainToInstance).not.toHaveBeenCalled();
  });

  it('names only the unknown properties beside known ones', async () => {
    const { pipe, plainToInstance } = countingPipe();
    const messages = await messagesOf(pipe.transform({ job_type: 'nope', extra: 1 }, { type: 'body', metatype: CreateQuoteSessionDto }));
    expect(messages).toEqual(['property extra should not exist']);
    expect(plainToInstance).not.toHaveBeenCalled();
  });

  it('builds and validates the DTO of known properties, with its transformations', async () => {
    const { pipe, plainToInstance } = countingPipe();
    const registration = await pipe.transform(
      { email: '  Shop@Example.com ', password: 'correct horse battery staple' },
      { type: 'body', metatype: RegisterDto },
    );
    expect(registration).toBeInstanceOf(RegisterDto);
    expect(registration).toMatchObject({ email: 'shop@example.com' });
    expect(plainToInstance).toHaveBeenCalledTimes(1);
    expect(await messagesOf(pipe.transform({ job_type: 'nope' }, { type: 'body', metatype: CreateQuoteSessionDto }))).toEqual([
      expect.stringContaining('job_type must be one of the following values'),
    ]);
  });
});
