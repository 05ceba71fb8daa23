// Limits the server enforces and clients show; one place so both agree.
export const LIMITS = {
  messageTextMaxChars: 10_000,
  attachmentsPerMessage: 10,
  clientMsgIdMaxChars: 100,
  /** Largest upload accepted, in bytes (also FILE_MAX_BYTES on the server, which may lower it). */
  fileMaxBytes: 25 * 1024 * 1024,
  /** Buttons on one message: the most any channel shows (Telegram keyboards; WhatsApp lists take 10). */
  buttonsPerMessage: 10,
  buttonLabelMaxChars: 64,
  syncMaxMessagesPerConversation: 500,
  typingThrottleMs: 2_000,
} as const;
