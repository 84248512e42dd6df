import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { UserProfileResponse } from '../../users/user-profile.response';

/** The answer of register, login, guest and refresh (OAuth 2.0 token-response style). */
export class TokenResponse {
  @ApiProperty({ description: 'JWT (HS256) to send as `Authorization: Bearer <access_token>`' }) access_token: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type: 'Bearer';
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' }) expires_in: number;
  @ApiProperty({ description: 'Opaque, single use: POST it to /api/auth/refresh for a new pair' }) refresh_token: string;
  @ApiProperty({ example: 42 }) user_id: number;
  @ApiProperty({ type: UserProfileResponse }) user: UserProfileResponse;
  @ApiPropertyOptional({ format: 'uuid', description: 'Guests only: a new quote session owned by the guest' })
  session_id?: string;
}
