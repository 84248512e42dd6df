import { RouteConfig } from '@nestjs/platform-fastify';

/** Route config of the routes reachable without a token: their body limit is the small public one. */
export const PUBLIC_BODY_ROUTE = 'publicBody';
/** Route config of the routes that take files (multipart/form-data); every other route refuses them with 415. */
export const FILE_UPLOAD_ROUTE = 'fileUpload';
/** Route config of the route that takes a shop's whole mapping document: its member limit is what the document may hold. */
export const MAPPING_DOCUMENT_ROUTE = 'mappingDocument';

/** A route anyone can reach takes only the small public body (PUBLIC_BODY_LIMIT_BYTES). */
export const PublicBody = () => RouteConfig({ [PUBLIC_BODY_ROUTE]: true });

/** The route takes files as multipart/form-data (every other route answers 415 to them). */
export const AcceptsFiles = () => RouteConfig({ [FILE_UPLOAD_ROUTE]: true });

/** The route takes a shop's whole mapping document, as many object members as its sections may hold. */
export const TakesMappingDocument = () => RouteConfig({ [MAPPING_DOCUMENT_ROUTE]: true });
