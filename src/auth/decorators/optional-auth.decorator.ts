import { applyDecorators, SetMetadata } from '@nestjs/common';

import { PublicBody } from '../../http/route-config';

export const OPTIONAL_AUTH = 'optionalAuth';

/** A header that does not carry a valid access token is a 401, never treated as no header. */
export const OptionalAuth = () => applyDecorators(SetMetadata(OPTIONAL_AUTH, true), PublicBody());
