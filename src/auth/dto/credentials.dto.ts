import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';

import { IsAccountEmail } from '../../users/account-email.decorator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords.service';

/** POST /api/auth/register. The email is put in NFKC, trimmed and lower-cased before it is validated. */
export class RegisterDto {
  @IsAccountEmail()
  email: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, example: 'correct horse battery staple' })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password: string;
}

/**
 * POST /api/auth/login, validated by LocalAuthGuard before the credentials are checked. The email is not
 * required to look like an address: one that is not gets the same 401 as any unknown one.
 */
export class LoginDto {
  @ApiProperty({ format: 'email', example: 'owner@example-shop.com' })
  @IsString()
  @IsNotEmpty()
  email: string;

  /** @example "correct horse battery staple" */
  @IsString()
  @IsNotEmpty()
  password: string;
}

/** POST /api/auth/refresh and /logout. */
export class RefreshTokenDto {
  /** The opaque refresh token of a token response */
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  refresh_token: string;
}

/** POST /api/auth/guest takes no body; a JSON object with any field is a 400. */
export class EmptyBodyDto {}
