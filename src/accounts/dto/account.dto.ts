import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Length, MaxLength } from 'class-validator';

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/passwords.service';
import { IsAccountEmail } from '../../users/account-email.decorator';
import { EMAIL_MAX_LENGTH } from '../../users/email';

/** A token from a mailed link: 43 base64url characters. */
const LINK_TOKEN_MAX_LENGTH = 128;

export class LinkTokenDto {
  /** The token of the mailed link */
  @IsString()
  @IsNotEmpty()
  @MaxLength(LINK_TOKEN_MAX_LENGTH)
  token: string;
}

export class ForgotPasswordDto {
  @ApiProperty({ format: 'email', example: 'owner@example-shop.com' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(EMAIL_MAX_LENGTH)
  email: string;
}

export class ResetPasswordDto extends LinkTokenDto {
  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password: string;
}

export class ChangePasswordDto {
  @IsString()
  @IsNotEmpty()
  current_password: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  new_password: string;
}

export class ChangeEmailDto {
  @IsAccountEmail()
  new_email: string;

  @IsString()
  @IsNotEmpty()
  password: string;
}

export class DeleteAccountDto {
  /** The current password, to confirm; a guest has none and sends none */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  password?: string;
}

export class SessionResponse {
  @ApiProperty({ format: 'uuid', description: 'The refresh family: one signed-in device' }) id: string;
  created_at: Date;
  /** The last login or refresh of this session */
  last_used_at: Date;
  expires_at: Date;
  user_agent: string | null;
  ip: string | null;
  /** The session of the access token of this request */
  current: boolean;
}
