import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Marks a route (or a controller) as reachable without an access token; every other route is guarded. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
