/**
 * @module interfaces/http/body
 * Reading a JSON request body: the content type must be JSON (415 otherwise), the body at most the limit
 * (413, checked on the declared length and again while reading, for chunked bodies), and the text valid JSON
 * (400). An empty body reads as undefined, so that a route whose body is optional takes none.
 */
import { ERROR_CODES } from '../../base/index.js';
import { HTTP_ERROR_CODES, HttpError } from './errors.js';

/** The default limit of a request body: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    HTTP_ERROR_CODES.PAYLOAD_TOO_LARGE,
    `The request body is larger than the limit of ${limit} bytes`,
    // The rest of the body is not read: the connection cannot carry another request.
    { headers: { connection: 'close' } },
  );
}

function notJson(contentType: string | null): HttpError {
  return new HttpError(
    415,
    HTTP_ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
    `The request body must be JSON (Content-Type: application/json), not ${contentType ?? 'a body without a Content-Type'}`,
  );
}

/** Whether a content type names JSON (`application/json`, `application/*+json`, with parameters). */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const type = value.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Reads and parses the JSON body of a request; undefined when it has none. */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  const contentType = request.headers.get('content-type');
  if (contentType !== null && !isJsonContentType(contentType)) throw notJson(contentType);
  if (request.body === null || declared === '0') return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (size === 0) return undefined;
  if (contentType === null) throw notJson(contentType);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(
      400,
      ERROR_CODES.INVALID_ARGUMENT,
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}
