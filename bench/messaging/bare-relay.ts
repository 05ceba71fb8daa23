// The yardsticks: a bare Socket.IO relay with no storage and no auth, speaking the part of
// Frontline's realtime protocol the benchmark uses. A visitor's message:send goes to the
// operators' room of its conversation and is acked at once; the message has Frontline's shape, so
// both servers carry the same bytes. Frontline's throughput is quoted as a share of this one's.
//
// With RELAY_DATABASE (a file path) it is the durable relay instead: the least any server must do
// to give Frontline's delivery guarantees on SQLite. Each message takes the conversation's next seq
// and is inserted (client_msg_id unique per conversation), in transactions shared by the sends of
// one event-loop turn, and only after the commit is it announced and acked. No auth, no checks,
// no analytics: what it cannot reach, no server that stores before it acks reaches here.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { Server } from 'socket.io';
import type { Message, SendMessageInput } from '@frontline/protocol';

interface RelayEvents {
  'message:send': (event: SendMessageInput, ack: (result: { ok: true; message: Message }) => void) => void;
  sync: (
    event: { conversations: { id: string }[] },
    ack: (result: { ok: true; conversations: [] }) => void,
  ) => void;
  'conversation:open': (ack: (result: { ok: true; conversation: { id: string } }) => void) => void;
}

interface RelayNotices {
  'message:new': (message: Message) => void;
}

/** Gives a message its seq, and resolves once it is stored. */
type Store = (message: Message) => Promise<void>;

const http = createServer((request, response) => {
  response.writeHead(request.url === '/readyz' ? 200 : 404).end();
});
const io = new Server<RelayEvents, RelayNotices>(http, { serveClient: false });
const operators = io.of('/operator');
const store = process.env.RELAY_DATABASE ? sqliteStore(process.env.RELAY_DATABASE) : memoryStore();

operators.on('connection', (socket) => {
  socket.on('sync', (event, ack) => {
    void socket.join(event.conversations.map((c) => c.id));
    ack({ ok: true, conversations: [] });
  });
});

io.of('/visitor').on('connection', (socket) => {
  socket.on('conversation:open', (ack) => ack({ ok: true, conversation: { id: randomUUID() } }));
  socket.on('message:send', (event, ack) => {
    const message: Message = {
      id: randomUUID(),
      conversationId: event.conversationId,
      seq: 0,
      clientMsgId: event.clientMsgId,
      author: { type: 'visitor', id: null, name: null },
      kind: 'text',
      text: event.text ?? '',
      attachments: [],
      event: null,
      buttons: [],
      replyTo: null,
      location: null,
      sharedContact: null,
      createdAt: Date.now(),
    };
    void store(message).then(() => {
      operators.to(event.conversationId).emit('message:new', message);
      ack({ ok: true, message });
    });
  });
});

function memoryStore(): Store {
  let seq = 0;
  return (message) => {
    message.seq = ++seq;
    return Promise.resolve();
  };
}

function sqliteStore(file: string): Store {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    create table conversations (id text primary key, last_seq integer not null);
    create table messages (
      id text primary key, conversation_id text not null, seq integer not null,
      client_msg_id text not null, text text not null, created_at integer not null,
      unique (conversation_id, seq), unique (conversation_id, client_msg_id));`);
  const nextSeq = db.prepare(
    `insert into conversations (id, last_seq) values (?, 1)
     on conflict (id) do update set last_seq = last_seq + 1 returning last_seq`,
  );
  const insert = db.prepare(
    'insert into messages (id, conversation_id, seq, client_msg_id, text, created_at) values (?, ?, ?, ?, ?, ?)',
  );
  const storeBatch = db.transaction((batch: Message[]) => {
    for (const m of batch) {
      m.seq = (nextSeq.get(m.conversationId) as { last_seq: number }).last_seq;
      insert.run(m.id, m.conversationId, m.seq, m.clientMsgId, m.text, m.createdAt);
    }
  });
  let batch: { message: Message; stored: () => void }[] = [];
  return (message) =>
    new Promise((stored) => {
      if (batch.length === 0) {
        setImmediate(() => {
          const committing = batch;
          batch = [];
          storeBatch(committing.map((entry) => entry.message));
          for (const entry of committing) entry.stored();
        });
      }
      batch.push({ message, stored });
    });
}

http.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => process.exit(0));
