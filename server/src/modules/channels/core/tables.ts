// Row types of the channels tables (migrations 0070_channels, 0071_channel_imap, 0072_channel_readers); schema.ts lists them in Database.
export interface ChannelAccountsTable {
  id: string;
  workspace_id: string;
  kind: string;
  name: string;
  /** JSON: the adapter's non-secret settings. */
  config: string;
  /** Encrypted JSON: tokens and signing secrets. */
  secrets: string;
  webhook_key: string;
  enabled: number;
  last_error: string | null;
  last_inbound_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ChannelContactsTable {
  account_id: string;
  external_id: string;
  workspace_id: string;
  contact_id: string;
  address: string;
  last_inbound_at: number;
  thread: string;
  created_at: number;
}

export interface ChannelInboundTable {
  account_id: string;
  provider_id: string;
  received_at: number;
}

export interface ChannelOutboundTable {
  message_id: string;
  workspace_id: string;
  conversation_id: string;
  account_id: string;
  address: string;
  status: string;
  provider_message_id: string | null;
  error: string | null;
  attempts: number;
  created_at: number;
  updated_at: number;
}

export interface ChannelImapMailboxesTable {
  account_id: string;
  uid_validity: number | null;
  last_uid: number;
  updated_at: number;
}

/** Which node reads a pulled channel (IMAP, Telegram long polling) now. */
export interface ChannelReadersTable {
  account_id: string;
  owner: string | null;
  lease_until: number;
}

export interface ChannelTelegramPollsTable {
  account_id: string;
  next_offset: number;
  updated_at: number;
}
