import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import { isProcessRunning } from './process-running';

/**
 * The temporary folders of price-load uploads: `price-import-<host>-<pid>-<random>` in the system's temporary folder,
 * removed when their work is done, by whatever ends this process, and at the next start when a kill that runs no code
 * (SIGKILL, the machine going down) left them.
 * DECISION: the host and pid in the name tell at start-up which folders no living server of this host owns
 * (the pid is gone, or it is our own pid: a restarted container gets the same one), without a registry on disk
 * that a kill could leave behind too; the host keeps two containers sharing one TMPDIR out of each other's folders.
 */
const PREFIX = 'price-import-';
const OWNER = /^price-import-(.+)-(\d+)-[^-]+$/;

const onDisk = new Set<string>();
let removedAtExit = false;

function hostPart(): string {
  return hostname().replace(/[^A-Za-z0-9.]/g, '_');
}

export async function createScratchFolder(): Promise<string> {
  if (!removedAtExit) {
    // 'exit' runs on every way out that runs code (a clean stop, the shutdown deadline's process.exit, an uncaught
    // error), and only synchronous work finishes there.
    process.once('exit', () => onDisk.forEach((folder) => rmSync(folder, { recursive: true, force: true })));
    removedAtExit = true;
  }
  const folder = await mkdtemp(join(tmpdir(), `${PREFIX}${hostPart()}-${process.pid}-`));
  onDisk.add(folder);
  return folder;
}

export async function removeScratchFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
  onDisk.delete(folder);
}

/** Removes the upload folders of this host's servers that ended without removing theirs; their names are returned. */
export async function removeFoldersOfEndedServers(): Promise<string[]> {
  const host = hostPart();
  const left = (await readdir(tmpdir())).filter((name) => {
    const owner = OWNER.exec(name);
    return owner !== null && owner[1] === host && !ownedByLivingServer(Number(owner[2]));
  });
  await Promise.all(left.map((name) => rm(join(tmpdir(), name), { recursive: true, force: true })));
  return left;
}

function ownedByLivingServer(pid: number): boolean {
  return pid !== process.pid && isProcessRunning(pid);
}
