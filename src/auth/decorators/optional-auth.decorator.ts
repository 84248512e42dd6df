import { applyDecorators, SetMetadata } from '@nestjs/common';

import { PublicBody } from '../../http/route-config';

export const OPTIONAL_AUTH = 'optionalAuth';

/**
 * A route reachable without a token, which still authenticates a token when an Authorization header is sent:
 * a header that does not carry a valid access token is a 401, never treated as no header.
 */
export const OptionalAuth = () => applyDecorators(SetMetadata(OPTIONAL_AUTH, true), PublicBody());
