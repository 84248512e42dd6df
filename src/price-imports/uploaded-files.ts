import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';

import type { MultipartFile } from '@fastify/multipart';
import { BadRequestException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { formatOfFileName, MAPPINGS_FILE_NAME, type SourceFormat } from '../price-loads/source-files';

export interface UploadedFile {
  name: string;
  /** `mappings` for an owner's mapping document uploaded beside the price files, as in a seeder folder. */
  format: SourceFormat | 'mappings';
  path: string;
  bytes: number;
  sha256: string;
}

export interface UploadLimits {
  maxFiles: number;
  maxFileBytes: number;
}

const FILE_NAME_MAX_LENGTH = 255;
// Path separators, control characters and bidirectional overrides (which make a name read as another one in a
// report): a name is a name, never a path.
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const FORBIDDEN_IN_FILE_NAME = /[/\\\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Every file is read to its end before an answer, so that a bad name is reported with the others. */
export async function receiveUploadedFiles(request: FastifyRequest, folder: string, limits: UploadLimits): Promise<UploadedFile[]> {
  if (!request.isMultipart()) throw new UnsupportedMediaTypeException('Send the files as multipart/form-data (curl -F "file=@prices.csv")');
  // The connection closed (or was cut) before the handler got here: a reader starting now would wait for ever.
  if (request.raw.destroyed) throw new BadRequestException('The upload ended before it was read: send it again');
  const received: UploadedFile[] = [];
  const problems: string[] = [];
  const unsupported: string[] = [];
  try {
    for await (const part of request.files()) {
      // A part sent without a file name has none at all.
      const name = typeof part.filename === 'string' ? part.filename : '';
      const problem = fileNameProblem(name, received);
      const format = problem === null ? formatOf(name) : null;
      if (problem !== null) problems.push(problem);
      else if (format === null) unsupported.push(name);
      if (problem !== null || format === null) {
        part.file.resume();
        await finished(part.file);
        continue;
      }
      received.push(await saveFile(part, name, format, join(folder, `${received.length + 1}.${format === 'mappings' ? 'json' : format}`)));
    }
  } catch (error) {
    throw tooLarge(error, limits) ?? malformed(error);
  }
  if (problems.length > 0) throw new BadRequestException(problems);
  if (unsupported.length > 0) {
    throw new UnsupportedMediaTypeException(
      `${unsupported.map((name) => JSON.stringify(name)).join(', ')}: only .json, .csv and .xlsx files can be imported`,
    );
  }
  if (!received.some((file) => file.format !== 'mappings'))
    throw new BadRequestException('The upload holds no file: attach one or more .json, .csv or .xlsx files as multipart/form-data');
  return received;
}

function formatOf(name: string): UploadedFile['format'] | null {
  return name.toLowerCase() === MAPPINGS_FILE_NAME ? 'mappings' : formatOfFileName(name);
}

function fileNameProblem(name: string, received: readonly UploadedFile[]): string | null {
  if (name.trim() === '') return 'A file has no name: give every file its name (curl -F "file=@prices.csv")';
  if (FORBIDDEN_IN_FILE_NAME.test(name) || name === '.' || name === '..') {
    return `The file name ${JSON.stringify(name)} holds a path separator or a control character: send the file under its plain name`;
  }
  if (name.length > FILE_NAME_MAX_LENGTH)
    return `The file name ${JSON.stringify(name.slice(0, 40))}… is longer than ${FILE_NAME_MAX_LENGTH} characters`;
  if (received.some((file) => file.name.toLowerCase() === name.toLowerCase()))
    return `Two files are named ${JSON.stringify(name)}: every file of an import needs its own name`;
  return null;
}

async function saveFile(part: MultipartFile, name: string, format: UploadedFile['format'], path: string): Promise<UploadedFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(part.file, measure, createWriteStream(path));
  return { name, format, path, bytes, sha256: hash.digest('hex') };
}

function tooLarge(error: unknown, limits: UploadLimits): PayloadTooLargeException | null {
  const code = (error as { code?: unknown }).code;
  const part = (error as { part?: { filename?: string } }).part;
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new PayloadTooLargeException(
      `${part?.filename ? JSON.stringify(part.filename) : 'A file'} is larger than ${describeBytes(limits.maxFileBytes)}, the most one file of an import may hold; split it into smaller files`,
    );
  }
  if (code === 'FST_FILES_LIMIT')
    return new PayloadTooLargeException(`An import takes at most ${limits.maxFiles} files; send the rest in another import`);
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
    return new PayloadTooLargeException('The upload has too many parts: send only the files');
  return null;
}

// A body the multipart parser cannot read is the client's; a system call that failed (a full disk) is the server's.
function malformed(error: unknown): unknown {
  if (typeof (error as { syscall?: unknown }).syscall === 'string') return error;
  return new BadRequestException(`The multipart body cannot be read: ${(error as Error).message}`);
}

function describeBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
