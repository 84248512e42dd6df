import { ApiPropertyOptional } from '@nestjs/swagger';

import { UserProfileResponse } from '../../users/user-profile.response';

/** The answer of register, login, guest and refresh (OAuth 2.0 token-response style). */
export class TokenResponse {
  /** JWT (HS256) to send as `Authorization: Bearer <access_token>` */
  access_token: string;
  token_type: 'Bearer';
  /**
   * Seconds until the access token expires
   * @example 900
   */
  expires_in: number;
  /** Opaque, single use: POST it to /api/auth/refresh for a new pair */
  refresh_token: string;
  /** @example 42 */
  user_id: number;
  user: UserProfileResponse;
  @ApiPropertyOptional({ format: 'uuid', description: 'Guests only: a new quote session owned by the guest' })
  session_id?: string;
}
