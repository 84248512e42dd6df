import { RouteConfig } from '@nestjs/platform-fastify';

export const PUBLIC_BODY_ROUTE = 'publicBody';
export const FILE_UPLOAD_ROUTE = 'fileUpload';
export const MAPPING_DOCUMENT_ROUTE = 'mappingDocument';

export const PublicBody = () => RouteConfig({ [PUBLIC_BODY_ROUTE]: true });

/** Every other route answers 415 to files. */
export const AcceptsFiles = () => RouteConfig({ [FILE_UPLOAD_ROUTE]: true });

export const TakesMappingDocument = () => RouteConfig({ [MAPPING_DOCUMENT_ROUTE]: true });
