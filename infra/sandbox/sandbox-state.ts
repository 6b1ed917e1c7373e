// What the emulators keep only in memory, kept in SANDBOX_DIR so a restart loses nothing: the clock's
// shift, the SES emulator's inbox, the SMS stand-in's log and the table stream's checkpoints. DynamoDB
// Local and fauxqs persist themselves. `npm run reset` empties the folder for a clean start.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sesStore from 'aws-ses-v2-local/dist/store.js';

export const stateFiles = {
  clock: 'clock.json',
  sesInbox: 'ses-inbox.json',
  smsLog: 'sms-log.json',
  /** Where the table stream's event source is in each shard (infra/sandbox/table-streams.ts). */
  streamCheckpoints: 'stream-checkpoints.json',
} as const;

export interface JsonFile<T> {
  read(): T | undefined;
  write(value: T): void;
}

/** A JSON file written whole through a temporary file, so a crash never leaves half of it. */
export function jsonFile<T>(dataDir: string, name: string): JsonFile<T> {
  const file = path.join(dataDir, name);
  return {
    read: () => {
      if (!existsSync(file)) return undefined;
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as T;
      } catch {
        return undefined;
      }
    },
    write: (value) => {
      writeFileSync(`${file}.tmp`, JSON.stringify(value));
      renameSync(`${file}.tmp`, file);
    },
  };
}

type StoredEmail = ReturnType<typeof sesStore.getStoreReadonly>['emails'][number];

/**
 * The SES emulator keeps its mail in a module-level array: refill it from the file at start, and write
 * it back whenever it grew (checked every `everyMs`) and at stop.
 */
export function persistSesInbox(dataDir: string, everyMs = 1000): { stop(): void } {
  const file = jsonFile<StoredEmail[]>(dataDir, stateFiles.sesInbox);
  const store = sesStore.getStoreReadonly();
  const known = new Set(store.emails.map((email) => email.messageId));
  for (const email of file.read() ?? []) if (!known.has(email.messageId)) store.emails.push(email);
  let written = store.emails.length;
  const save = () => {
    const current = sesStore.getStoreReadonly().emails;
    if (current.length === written) return;
    file.write(current);
    written = current.length;
  };
  const timer = setInterval(save, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      save();
    },
  };
}
