// The small protocol between the bench and a server it forks with an IPC channel (the fake upstream,
// which the bench reconfigures between phases), and the server's side of it. The server reports its
// port once it listens, answers a few named calls, and stops when asked or when the bench goes away.
// The measured servers (pipe, gateway) have no such channel: they run as users run them.

/** Parent -> child. */
export type ToChild = { type: 'call'; id: number; op: string; arg?: unknown } | { type: 'stop' };

/** Child -> parent. */
export type FromChild =
  { type: 'ready'; port: number } | { type: 'reply'; id: number; ok: true; value: unknown } | { type: 'reply'; id: number; ok: false; error: string };

export type ChildOp = (arg: unknown) => unknown;

export interface ChildServer {
  port: number;
  /** Named calls the parent may make, besides the built-in `memory`. */
  ops?: Record<string, ChildOp>;
  close(): Promise<void>;
}

/** How long a child may take to close before it exits anyway. */
const CLOSE_GRACE_MS = 3000;

/**
 * Runs a server as a forked child: starts it, reports `ready` with its port, then serves calls.
 * Exits on `stop`, and also as soon as the IPC channel closes, so a crashed or killed parent never
 * leaves a server behind.
 */
export function runChild(name: string, start: () => Promise<ChildServer>): void {
  const send = process.send?.bind(process);
  if (!send) {
    console.error(`${name}: must be started by bench/run.ts (forked with an IPC channel)`);
    process.exit(2);
  }
  process.on('disconnect', () => process.exit(0));

  start().then(
    (server) => {
      const ops: Record<string, ChildOp> = { memory: () => process.memoryUsage(), ...server.ops };
      process.on('message', (msg: ToChild) => {
        if (msg.type === 'stop') {
          stop(server);
          return;
        }
        void answer(send, ops, msg);
      });
      send({ type: 'ready', port: server.port } satisfies FromChild);
    },
    (err: unknown) => {
      console.error(`${name}: failed to start:`, err);
      process.exit(1);
    },
  );
}

async function answer(send: NonNullable<typeof process.send>, ops: Record<string, ChildOp>, msg: Extract<ToChild, { type: 'call' }>): Promise<void> {
  let reply: FromChild;
  try {
    const op = ops[msg.op];
    if (!op) throw new Error(`unknown call ${msg.op}`);
    reply = { type: 'reply', id: msg.id, ok: true, value: await op(msg.arg) };
  } catch (err) {
    reply = { type: 'reply', id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  send(reply);
}

/** Closes the server, then exits even if closing hangs. A normal exit also lets --cpu-prof write its file. */
function stop(server: ChildServer): void {
  setTimeout(() => process.exit(0), CLOSE_GRACE_MS).unref();
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('close failed:', err);
      process.exit(1);
    },
  );
}
