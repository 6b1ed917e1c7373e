// Failures `npm run fuzz` finds in today's code, each with a focused reproducer and its root cause.
// The fuzz test tolerates exactly these and prints them; each one also has an `it.fails` test, so a fix
// turns that test red until its entry is deleted here. The list only shrinks.
import type { FuzzContext, FuzzRequest } from '../../infra/tools/fuzz/fuzz-requests.ts';
import type { FuzzFailure } from '../../infra/tools/fuzz/fuzz-run.ts';

export interface KnownFailure {
  id: string;
  /** What API.md wants, what happens instead, and where the cause sits. */
  reading: string;
  /** Whether a failure of the fuzz run is this one. */
  explains(failure: FuzzFailure): boolean;
  reproducer(context: FuzzContext): FuzzRequest;
}

// Emptied as the fixes landed: deep JSON (400 at the middleware's depth check), impossible and extreme report
// dates (ISO date schema with a range), malformed percent-encoding in a path (400) and huge headers (the
// gateway's 10 KiB header limit answers 400 in API.md's shape). A new failure goes here with its reproducer.
export const knownFailures: KnownFailure[] = [];
