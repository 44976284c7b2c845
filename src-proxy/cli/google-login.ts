// `switchyard accounts login --provider antigravity`: a Google sign-in from the terminal. It prints the
// link, then waits for whichever comes first: the browser coming back to the loopback listener (on
// this machine), or the code or redirect address pasted on standard input (signed in elsewhere).

import { parseArgs } from 'node:util';
import { ControlError, GOOGLE_ACCOUNT_KIND, type Account, type ControlClient, type GoogleSignInOutcome, type GoogleSignInStart } from '../contract/index.js';
import { UsageError, type CliIo } from './io.js';
import { describeSignInError } from './wording.js';

/** After the sign-in's own expiry, in case its announcement was missed (a reconnecting event stream). */
const EXPIRY_SLACK_MS = 2000;

type LoginEnd = { account: Account } | { error: GoogleSignInOutcome['error'] | 'cancelled'; message?: string };

export async function loginCommand(args: string[], api: ControlClient, io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { provider: { type: 'string' } }, strict: true });
  if (values.provider !== GOOGLE_ACCOUNT_KIND) {
    throw new UsageError(
      `accounts login signs in a Google account: use --provider ${GOOGLE_ACCOUNT_KIND}. Other providers take an API key: switchyard accounts add.`,
    );
  }
  const known = new Set((await api.listAccounts()).map((a) => a.id));
  // Listening before the sign-in starts, so an announcement cannot come before the listener.
  const announced: GoogleSignInOutcome[] = [];
  let onAnnounced: ((o: GoogleSignInOutcome) => void) | null = null;
  const off = api.onEvent('sign_in', (o) => (onAnnounced ? onAnnounced(o) : announced.push(o)));
  let start: GoogleSignInStart | null = null;
  try {
    start = await api.startGoogleSignIn();
    io.out('Open this address in a browser and sign in with the Google account to add:');
    io.out('');
    io.out(`  ${start.url}`);
    io.out('');
    io.out(`Waiting for the browser to come back to ${start.redirect_uri} (until ${new Date(start.expires_at).toLocaleTimeString()}).`);
    io.out('No browser on this machine? Sign in on another one, then paste the code or the whole address it ends on here, and press Enter.');
    const end = await waitForEnd(start, api, io, (listener) => {
      onAnnounced = listener;
      for (const o of announced.splice(0)) listener(o);
    });
    if ('account' in end) {
      const what = known.has(end.account.id) ? 'renewed the sign-in of account' : 'added account';
      io.out(`Signed in as ${end.account.label}: ${what} ${end.account.id}.`);
      return 0;
    }
    io.err(`switchyard: ${end.message ?? describeSignInError(end.error)}`);
    return 1;
  } finally {
    off();
  }
}

function waitForEnd(start: GoogleSignInStart, api: ControlClient, io: CliIo, listen: (l: (o: GoogleSignInOutcome) => void) => void): Promise<LoginEnd> {
  return new Promise<LoginEnd>((resolve) => {
    let done = false;
    const finish = (end: LoginEnd) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(end);
    };
    listen((o) => {
      if (o.sign_in_id !== start.sign_in_id) return;
      finish(o.account ? { account: o.account } : { error: o.error });
    });
    const timer = setTimeout(() => finish({ error: 'sign_in_expired' }), Math.max(0, start.expires_at - Date.now()) + EXPIRY_SLACK_MS);
    timer.unref();
    io.stopSignal().then(
      () => {
        if (done) return;
        finish({ error: 'cancelled' });
        api.cancelGoogleSignIn(start.sign_in_id).catch(() => undefined);
      },
      () => undefined,
    );
    void readPasted(start, api, io, () => done).then((end) => {
      if (end) finish(end);
    });
  });
}

/** Pasted lines, each tried in turn; a line that is no code is said so, and the wait goes on. */
async function readPasted(start: GoogleSignInStart, api: ControlClient, io: CliIo, over: () => boolean): Promise<LoginEnd | null> {
  for await (const line of io.readLines()) {
    if (over()) return null;
    if (line.trim() === '') continue;
    try {
      return { account: await api.finishGoogleSignIn({ sign_in_id: start.sign_in_id, code: line.trim() }) };
    } catch (err) {
      if (!(err instanceof ControlError)) throw err;
      if (over()) return null;
      if (err.code === 'sign_in_expired') return { error: 'sign_in_expired', message: err.message };
      // The sign-in may go on (a line that is not a code, the address of another sign-in); if it ended,
      // its announcement ends the wait.
      io.err(`switchyard: ${err.message}`);
    }
  }
  // End of input: the browser may still come back.
  return null;
}
