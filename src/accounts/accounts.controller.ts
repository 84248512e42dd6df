import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Ip, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import { CurrentSessionId, CurrentUser } from '../auth/decorators/current-user.decorator';
import { Public } from '../auth/decorators/public.decorator';
import { RateLimitedBy } from '../auth/rate-limit/rate-limit.guard';
import { ErrorResponse } from '../common/error.response';
import type { User } from '../database/entities';
import { UserProfileResponse } from '../users/user-profile.response';
import { AccountsService } from './accounts.service';
import {
  ChangeEmailDto,
  ChangePasswordDto,
  DeleteAccountDto,
  ForgotPasswordDto,
  LinkTokenDto,
  ResetPasswordDto,
  SessionResponse,
} from './dto/account.dto';

const UNAUTHORIZED = { type: ErrorResponse, description: 'No valid access token' };
const WRONG_PASSWORD = {
  type: ErrorResponse,
  description: 'The password is wrong (counted like a failed login), or no valid access token',
};
const BAD_LINK = { type: ErrorResponse, description: 'An unknown, used or expired token, or a bad body' };
const TOO_MANY_LINKS = 'Too many links used from this address; try again later';
const TOO_MANY = { type: ErrorResponse, description: 'Rate limit reached; `Retry-After` says after how many seconds to try again' };

@ApiTags('account')
@Controller('auth')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('verify-email/request')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: "Mail a link that confirms the account's email address" })
  @ApiAcceptedResponse({ description: 'The mail is on its way' })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'A guest account has no address: register first' })
  @ApiTooManyRequestsResponse(TOO_MANY)
  requestVerification(@CurrentUser() user: User): Promise<void> {
    return this.accounts.requestVerification(user);
  }

  @Public()
  @RateLimitedBy('linkConfirmationsPerIp', TOO_MANY_LINKS)
  @Post('verify-email')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Confirm the email address with the token of its link' })
  @ApiOkResponse({ type: UserProfileResponse, description: 'is_verified is true' })
  @ApiBadRequestResponse(BAD_LINK)
  @ApiTooManyRequestsResponse(TOO_MANY)
  verifyEmail(@Body() dto: LinkTokenDto): Promise<UserProfileResponse> {
    return this.accounts.verifyEmail(dto.token);
  }

  @Public()
  @RateLimitedBy('passwordForgotPerIp', 'Too many reset requests from this address; try again later')
  @Post('password/forgot')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Mail a password-reset link; the same answer for every address' })
  @ApiAcceptedResponse({ description: 'Known, unknown and guest addresses alike; only a full account gets a mail' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'No email in the body' })
  @ApiTooManyRequestsResponse(TOO_MANY)
  forgotPassword(@Body() dto: ForgotPasswordDto, @Ip() ip: string): Promise<void> {
    return this.accounts.forgotPassword(dto.email, ip);
  }

  @Public()
  @RateLimitedBy('passwordForgotPerIp', 'Too many reset requests from this address; try again later')
  @Post('password/reset')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Set a new password with the token of a reset link; every device is logged out' })
  @ApiNoContentResponse({ description: 'The password is set and the address verified' })
  @ApiBadRequestResponse(BAD_LINK)
  @ApiTooManyRequestsResponse(TOO_MANY)
  resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.accounts.resetPassword(dto.token, dto.password);
  }

  @Put('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Change the password; every other device is logged out, the caller's session stays" })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A new password outside 8-128 characters, or an unknown field' })
  @ApiUnauthorizedResponse(WRONG_PASSWORD)
  @ApiTooManyRequestsResponse(TOO_MANY)
  changePassword(
    @CurrentUser() user: User,
    @CurrentSessionId() sessionId: string,
    @Body() dto: ChangePasswordDto,
    @Ip() ip: string,
  ): Promise<void> {
    return this.accounts.changePassword(user, dto.current_password, dto.new_password, sessionId, ip);
  }

  @Get('sessions')
  @ApiOperation({ summary: "The account's signed-in devices (live refresh families)" })
  @ApiOkResponse({ type: [SessionResponse] })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  listSessions(@CurrentUser() user: User, @CurrentSessionId() sessionId: string): Promise<SessionResponse[]> {
    return this.accounts.listSessions(user, sessionId);
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Log one device out: its refresh and access tokens stop at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'The id is not a UUID' })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No live session of this account has this id' })
  revokeSession(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.accounts.revokeSession(user, id);
  }

  @Delete('sessions')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Log every other device out' })
  @ApiNoContentResponse({ description: "Every session but the caller's is revoked" })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  revokeOtherSessions(@CurrentUser() user: User, @CurrentSessionId() sessionId: string): Promise<void> {
    return this.accounts.revokeOtherSessions(user, sessionId);
  }

  @Put('email')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Ask to change the email address: a confirmation link to the new one, a notice to the old one' })
  @ApiAcceptedResponse({ description: 'The address changes when the link is used' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A bad address, the same address, or an unknown field' })
  @ApiUnauthorizedResponse(WRONG_PASSWORD)
  @ApiConflictResponse({ type: ErrorResponse, description: 'Another account has that address' })
  @ApiTooManyRequestsResponse(TOO_MANY)
  requestEmailChange(@CurrentUser() user: User, @Body() dto: ChangeEmailDto, @Ip() ip: string): Promise<void> {
    return this.accounts.requestEmailChange(user, dto.new_email, dto.password, ip);
  }

  @Public()
  @RateLimitedBy('linkConfirmationsPerIp', TOO_MANY_LINKS)
  @Post('email/confirm')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Confirm a new email address with the token of its link' })
  @ApiOkResponse({ type: UserProfileResponse, description: 'The account now has the new, verified address' })
  @ApiBadRequestResponse(BAD_LINK)
  @ApiTooManyRequestsResponse(TOO_MANY)
  @ApiConflictResponse({ type: ErrorResponse, description: 'Another account took the address meanwhile' })
  confirmEmailChange(@Body() dto: LinkTokenDto): Promise<UserProfileResponse> {
    return this.accounts.confirmEmailChange(dto.token);
  }

  @Delete('account')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete the account and everything it owns (quotes, sessions, prices, mappings, tokens, mail); a guest needs no password',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A full account sent no password, or an unknown field' })
  @ApiUnauthorizedResponse(WRONG_PASSWORD)
  @ApiTooManyRequestsResponse(TOO_MANY)
  deleteAccount(@CurrentUser() user: User, @Body() dto: DeleteAccountDto, @Ip() ip: string): Promise<void> {
    return this.accounts.deleteAccount(user, dto.password, ip);
  }
}
