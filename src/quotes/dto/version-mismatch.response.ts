import { ErrorResponse } from '../../common/error.response';

/** A 412: the error body and the version the quote or session is at now. */
export class VersionMismatchResponse extends ErrorResponse {
  /** @example 4 */
  version: number;
}
