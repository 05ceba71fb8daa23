// Socket.IO room names. Operators and visitors of one conversation are in separate rooms so that
// internal notes can go to operators only.
export const rooms = {
  /** Every operator socket of a workspace: conversation list updates. */
  workspaceOperators: (workspaceId: string) => `w:${workspaceId}:o`,
  /** Operator sockets that opened (synced) this conversation. */
  conversationOperators: (conversationId: string) => `c:${conversationId}:o`,
  /** The visitor's sockets (all tabs) for this conversation. */
  conversationVisitor: (conversationId: string) => `c:${conversationId}:v`,
  /** Every visitor socket of a workspace: what all open widgets show (the greeting). */
  workspaceVisitors: (workspaceId: string) => `w:${workspaceId}:v`,
  /** Every socket of one visitor, for conversations they open in another tab. */
  contact: (contactId: string) => `v:${contactId}`,
};
