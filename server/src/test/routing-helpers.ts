// Shared set-up of the routing integration tests: a team of operators, visitors with a socket
// that records their queue notices, and polling until routing has done its part.
import type { QueueNotice } from '@frontline/protocol';
import {
  connected,
  createWorkspace,
  login,
  openConversation,
  startVisitor,
  type StaffClient,
  type TestWorkspace,
} from './factories.js';
import type { TestServer } from './harness.js';

export function routingHelpers(server: TestServer) {
  async function team(
    size: number,
  ): Promise<{ workspace: TestWorkspace; admin: StaffClient; operators: StaffClient[] }> {
    const workspace = await createWorkspace(server);
    const admin = await login(server, workspace.admin);
    const operators = [await login(server, workspace.operator)];
    for (let i = 1; i < size; i++) {
      const email = `op${i}-${workspace.id}@test.local`;
      await admin.json('POST', '/api/users', {
        email,
        name: `Operator ${i}`,
        password: 'operator-password-1',
        role: 'operator',
        locale: 'en',
      });
      operators.push(await login(server, { email, password: 'operator-password-1' }));
    }
    return { workspace, admin, operators };
  }

  async function newConversation(workspace: TestWorkspace) {
    const visitor = await startVisitor(server, workspace.widgetKey);
    const socket = await connected(visitor.socket());
    const notices: QueueNotice[] = [];
    socket.on('queue:position', (notice) => notices.push(notice));
    const conversation = await openConversation(socket);
    return { visitor, socket, conversation, notices };
  }

  const settle = (workspaceId: string) => server.app.services.routing.settled(workspaceId);

  async function waitFor<T>(
    read: () => Promise<T>,
    done: (value: T) => boolean,
    timeoutMs = 5_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return { team, newConversation, settle, waitFor };
}
