// A real IMAP server for tests: Debian's Dovecot (dovecot-imapd, installed by .ci/run), started in
// the foreground with a configuration of its own in a temporary folder: loopback only, a free port,
// plaintext login allowed, one user from a passwd file, maildir storage in the same folder. Stopped
// and removed by close(). Mail is put into the mailbox with imapflow's APPEND, as a sender's
// server would deliver it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { freePort } from './fakes/smtp.js';

const run = promisify(execFile);
const DOVECOT = '/usr/sbin/dovecot';

/** Dovecot refuses to store mail as root: as root, the mail belongs to "nobody". */
const NOBODY = 65534;

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Delivers a raw RFC 5322 message into a folder of the user's (INBOX unless told, made if missing), unread unless flagged. */
  append(raw: string | Buffer, options?: { mailbox?: string; flags?: string[] }): Promise<void>;
  /** IMAP sessions of the user open right now (doveadm who). */
  sessions(): Promise<number>;
  /** Flags of every message in the INBOX, by UID. */
  flags(): Promise<Map<number, Set<string>>>;
  /** Stops the server, keeping its mail and port, as a mail server that is down for a while. */
  stop(): Promise<void>;
  /** Starts it again after stop(). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** `idle: false` hides IDLE from the capabilities, like a server that has none. */
export async function startDovecot(options: { idle?: boolean } = {}): Promise<Dovecot> {
  if (!existsSync(DOVECOT))
    throw new Error('Dovecot is not installed: apt-get install dovecot-imapd (see .ci/run)');
  const dir = mkdtempSync(path.join(tmpdir(), 'frontline-dovecot-'));
  const port = await freePort();
  const user = 'support';
  const password = 'imap-password-1';
  const mailUid = process.getuid?.() === 0 ? NOBODY : (process.getuid?.() ?? NOBODY);
  const mailGid = process.getuid?.() === 0 ? NOBODY : (process.getgid?.() ?? NOBODY);
  const mail = path.join(dir, 'mail');
  for (const sub of ['run', 'state', 'mail']) mkdirSync(path.join(dir, sub));
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) chownSync(mail, mailUid, mailGid);
  writeFileSync(path.join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`);
  const log = path.join(dir, 'dovecot.log');
  const config = path.join(dir, 'dovecot.conf');
  writeFileSync(
    config,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = frontline-test-${port}
log_path = ${log}
info_log_path = ${log}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
${options.idle === false ? 'imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS\n' : ''}first_valid_uid = ${mailUid}
first_valid_gid = ${mailGid}
mail_uid = ${mailUid}
mail_gid = ${mailGid}
mail_location = maildir:${mail}/%u
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
passdb {
  driver = passwd-file
  args = ${dir}/users
}
userdb {
  driver = static
  args = home=${mail}/%u
}
`,
  );
  const launch = async () => {
    const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', config], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => (stderr += error.message));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await waitForGreeting(port, child, () => stderr + (existsSync(log) ? readFileSync(log, 'utf8') : ''));
    return {
      stop: async () => {
        child.kill('SIGTERM');
        await exited;
      },
    };
  };
  let running = await launch();

  const client = () =>
    new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
  const withClient = async <T>(work: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = client();
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.logout();
    }
  };

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    append: (raw, { mailbox = 'INBOX', flags = [] } = {}) =>
      withClient(async (c) => {
        if (mailbox !== 'INBOX' && !(await c.list()).some((m) => m.path === mailbox))
          await c.mailboxCreate(mailbox);
        await c.append(mailbox, raw, flags);
      }),
    sessions: async () => {
      const { stdout } = await run('/usr/bin/doveadm', ['-c', config, 'who', '-1']);
      return stdout.split('\n').filter((line) => line.split(/\s+/)[0] === user).length;
    },
    flags: () =>
      withClient(async (c) => {
        await c.mailboxOpen('INBOX', { readOnly: true });
        const all =
          c.mailbox && c.mailbox.exists > 0 ? await c.fetchAll('1:*', { uid: true, flags: true }) : [];
        return new Map(all.map((m) => [m.uid, m.flags ?? new Set<string>()]));
      }),
    stop: () => running.stop(),
    start: async () => {
      running = await launch();
    },
    close: async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Dovecot is ready once its greeting says so (before that it may still wait for its auth process). */
async function waitForGreeting(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}): ${stderr()}`);
    const greeting = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
        if (/ready\./.test(text)) socket.end();
      });
      socket.on('error', () => resolve(''));
      socket.on('close', () => resolve(text));
      socket.setTimeout(2000, () => socket.destroy());
    });
    if (/ready\./.test(greeting)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`dovecot did not start on port ${port}: ${stderr()}`);
}
