// The yardstick: a bare Socket.IO relay with no storage and no auth, speaking the part of
// Frontline's realtime protocol the benchmark uses. A visitor's message:send goes to the
// operators' room of its conversation and is acked at once; the message has Frontline's shape, so
// both servers carry the same bytes. Frontline's throughput is quoted as a share of this one's.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
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

const http = createServer((request, response) => {
  response.writeHead(request.url === '/readyz' ? 200 : 404).end();
});
const io = new Server<RelayEvents, RelayNotices>(http, { serveClient: false });
const operators = io.of('/operator');
let seq = 0;

operators.on('connection', (socket) => {
  socket.on('sync', (event, ack) => {
    void socket.join(event.conversations.map((c) => c.id));
    ack({ ok: true, conversations: [] });
  });
});

io.of('/visitor').on('connection', (socket) => {
  socket.on('conversation:open', (ack) => ack({ ok: true, conversation: { id: randomUUID() } }));
  socket.on('message:send', (event, ack) => {
    seq += 1;
    const message: Message = {
      id: randomUUID(),
      conversationId: event.conversationId,
      seq,
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
    operators.to(event.conversationId).emit('message:new', message);
    ack({ ok: true, message });
  });
});

http.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => process.exit(0));
