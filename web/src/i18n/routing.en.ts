// English strings of the routing area (the supervisor's view of queues and operators).
import type { Messages } from './index.js';

export const routingEn: Messages['routing'] = {
  queues: 'Queues',
  queue: 'Queue',
  noDepartment: 'No department',
  line: 'Line {{level}}',
  waiting: 'Waiting',
  oldest: 'Longest wait',
  online: 'Online',
  freeSlots: 'Free slots',
  held: 'Conversations',
  nothingHeld: 'No conversations',
  offered: 'offered',
  reassign: 'Reassign…',
  reassignLabel: 'Reassign the conversation with {{name}} to another operator',
  reassigned: 'Conversation handed to {{name}}',
  firstReplyTimeout: 'First reply within, seconds (0: off)',
  idleClose: 'Close after silence, minutes (0: never)',
  idleCloseWorkspace: 'workspace setting',
  settingsTitle: 'Routing',
  idleCloseHint:
    'A conversation where the visitor is not waiting for an answer and nobody writes closes by itself. A department may set its own time.',
  reopenWindow: 'Reopen a conversation within, minutes',
  reopenWindowHint: 'If the visitor writes later, a new conversation starts.',
  live: 'Updates live',
};
