import { ForbiddenException } from '@nestjs/common';

import type { User } from '../database/entities';

/** Guests may look and preview; what they would keep belongs to a claimed account. */
export function refuseGuestWrite(user: User, what: string): void {
  if (user.isProvisional) {
    throw new ForbiddenException(
      `A guest account cannot ${what}: claim the account first (POST /api/auth/register with this access token)`,
    );
  }
}
