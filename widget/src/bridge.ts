// Messages between the loader (in the host page) and the frame. Both sides check the other's
// origin and window: the frame trusts only its embedding page, the loader only Frontline's frame.
import type { Lang } from './locale.js';

/** What the host page's identify() passes on (checked by the server: IdentifyRequest). */
export interface IdentityInput {
  id?: string;
  email?: string;
  name?: string;
  phone?: string;
  signature?: string;
  /** An HS256 JWT signed with the identity secret, instead of a signature. */
  token?: string;
}

export type AttributesInput = Record<string, string | number | boolean | null>;

export type LoaderToFrame =
  | { type: 'frontline:open' }
  | { type: 'frontline:close' }
  | { type: 'frontline:page'; url: string; title: string }
  /** The pointer left the page towards the tabs: invitations waiting for it may show. */
  | { type: 'frontline:exit-intent' }
  /** The visitor closed the invitation bubble. */
  | { type: 'frontline:invitation-closed' }
  | { type: 'frontline:lang'; lang: Lang }
  | { type: 'frontline:identify'; requestId: number; identity: IdentityInput }
  | { type: 'frontline:attributes'; requestId: number; attributes: AttributesInput };

/** How the launcher looks; from the widget settings. */
export interface LauncherLook {
  color: string;
  textColor: string;
  position: 'right' | 'left';
  text: string;
}

/** Events the host page can listen to with Frontline.on(). */
export interface HostEvents {
  ready: { lang: Lang };
  open: Record<string, never>;
  close: Record<string, never>;
  message: { text: string; author: { type: string; name: string | null } };
}

export type FrameToLoader =
  /** The frame is listening (posts sent before it loaded were lost), in this language and look. */
  | { type: 'frontline:ready'; lang: Lang; look: LauncherLook }
  | { type: 'frontline:request-close' }
  | { type: 'frontline:request-open' }
  | { type: 'frontline:unread'; count: number }
  /** Show (or, with null, hide) a proactive invitation next to the launcher. */
  | {
      type: 'frontline:invite';
      invitation: { text: string; author: string; avatarUrl: string | null } | null;
    }
  | { type: 'frontline:message'; message: HostEvents['message'] }
  /** The answer to an identify or attributes request: null when it worked, else the server's words. */
  | { type: 'frontline:result'; requestId: number; error: string | null };

const LOADER_TYPES: ReadonlySet<string> = new Set<LoaderToFrame['type']>([
  'frontline:open',
  'frontline:close',
  'frontline:page',
  'frontline:exit-intent',
  'frontline:invitation-closed',
  'frontline:lang',
  'frontline:identify',
  'frontline:attributes',
]);
const FRAME_TYPES: ReadonlySet<string> = new Set<FrameToLoader['type']>([
  'frontline:ready',
  'frontline:request-close',
  'frontline:request-open',
  'frontline:unread',
  'frontline:invite',
  'frontline:message',
  'frontline:result',
]);

// Host pages and other scripts post their own messages too; only ours, by type, get through.
const hasType = (data: unknown, types: ReadonlySet<string>): boolean =>
  typeof data === 'object' &&
  data !== null &&
  'type' in data &&
  typeof data.type === 'string' &&
  types.has(data.type);

export const isLoaderMessage = (data: unknown): data is LoaderToFrame => hasType(data, LOADER_TYPES);
export const isFrameMessage = (data: unknown): data is FrameToLoader => hasType(data, FRAME_TYPES);
