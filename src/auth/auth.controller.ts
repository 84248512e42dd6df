import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { ErrorResponse } from '../common/error.response';
import type { User } from '../database/entities';
import { UpdateProfileDto } from '../users/dto/update-profile.dto';
import { toUserProfile, UserProfileResponse } from '../users/user-profile.response';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import type { ClientInfo } from './decorators/client.decorator';
import { Client } from './decorators/client.decorator';
import { CurrentUser } from './decorators/current-user.decorator';
import { OptionalAuth } from './decorators/optional-auth.decorator';
import { ApiNoAuth, Public } from './decorators/public.decorator';
import { EmptyBodyDto, LoginDto, RefreshTokenDto, RegisterDto } from './dto/credentials.dto';
import { TokenResponse } from './dto/token.response';
import { LocalAuthGuard } from './guards/local-auth.guard';
import { RateLimitedBy } from './rate-limit/rate-limit.guard';

const TOO_MANY = { type: ErrorResponse, description: 'Rate limit reached; `Retry-After` says after how many seconds to try again' };

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @OptionalAuth()
  @RateLimitedBy('registrationsPerIp', 'Too many registrations from this address; try again later')
  @Post('register')
  @ApiOperation({ summary: "Create an account, or claim a guest's account in place when called with its access token" })
  @ApiNoAuth()
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: TokenResponse, description: 'A new full account' })
  @ApiOkResponse({ type: TokenResponse, description: "The guest's account, claimed: same user_id, is_provisional false" })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A bad email, a password outside 8-128 characters, or an unknown field' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'An Authorization header that is not a valid access token' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The email belongs to another account (the guest is left untouched)' })
  @ApiTooManyRequestsResponse(TOO_MANY)
  async register(
    @Body() dto: RegisterDto,
    @CurrentUser() caller: User | undefined,
    @Client() client: ClientInfo,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse> {
    if (!caller) return this.auth.register(dto, client);
    const claimed = await this.auth.claimGuest(caller, dto, client);
    reply.status(HttpStatus.OK);
    return claimed;
  }

  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log in with email and password: a new refresh family' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'email or password missing, or an unknown field' })
  @ApiUnauthorizedResponse({
    type: ErrorResponse,
    description: '`Invalid email or password`, for an unknown email, a wrong password and a guest alike',
  })
  @ApiTooManyRequestsResponse(TOO_MANY)
  login(@CurrentUser() user: User, @Body() _credentials: LoginDto, @Client() client: ClientInfo): Promise<TokenResponse> {
    return this.auth.login(user, client);
  }

  @Public()
  @RateLimitedBy('refreshesPerIp')
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Trade a refresh token for a new pair; the presented token is superseded' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Unknown, expired, revoked or superseded refresh token' })
  @ApiTooManyRequestsResponse(TOO_MANY)
  refresh(@Body() dto: RefreshTokenDto, @Client() client: ClientInfo): Promise<TokenResponse> {
    return this.auth.refresh(dto.refresh_token, client);
  }

  @Public()
  @RateLimitedBy('guestsPerIp', 'Too many guest accounts from this address; try again later')
  @Post('guest')
  @ApiOperation({ summary: 'Start as a guest: a provisional account with a quote session' })
  @ApiBody({ required: false, type: EmptyBodyDto })
  @ApiCreatedResponse({ type: TokenResponse, description: 'user.is_provisional is true; session_id is the new quote session' })
  @ApiTooManyRequestsResponse(TOO_MANY)
  guest(@Body() _body: EmptyBodyDto, @Client() client: ClientInfo): Promise<TokenResponse> {
    return this.auth.createGuest(client);
  }

  @Public()
  @RateLimitedBy('logoutsPerIp')
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Revoke the refresh token's family; its access tokens stop working at once" })
  @ApiNoContentResponse({ description: 'Revoked, or the token was unknown' })
  @ApiTooManyRequestsResponse(TOO_MANY)
  async logout(@Body() dto: RefreshTokenDto): Promise<void> {
    await this.auth.logout(dto.refresh_token);
  }

  @Get('me')
  @ApiOperation({ summary: "The caller's profile" })
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserProfileResponse })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No valid access token' })
  me(@CurrentUser() user: User): UserProfileResponse {
    return toUserProfile(user);
  }

  @Put('profile')
  @ApiOperation({ summary: "Update some of the shop's profile fields" })
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserProfileResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A value out of range, or a field that is not a profile field' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No valid access token' })
  async updateProfile(@CurrentUser() user: User, @Body() dto: UpdateProfileDto): Promise<UserProfileResponse> {
    return toUserProfile(await this.users.updateProfile(user.id, dto));
  }
}
