// A new conversation calls for attention even when the workspace is in a background tab: a
// desktop notification (when the operator allowed them) and a short chime. "New" means offered to
// me, or newly waiting in the queue; a conversation this page already showed is never new again.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '@frontline/protocol';
import { contactLabel } from '../i18n/format.js';
import { useRealtime } from '../realtime/context.js';

/** Older than this, an update is about an old conversation (a reconnect), not a new arrival. */
const FRESH_MS = 60_000;
const SOUND_KEY = 'frontline.sound';

export function soundEnabled(): boolean {
  return localStorage.getItem(SOUND_KEY) !== 'off';
}

export function setSoundEnabled(on: boolean): void {
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
}

/** Calls for the operator: offered to them, or fresh in the queue for anyone to take. */
export function callsForAttention(conversation: Conversation, me: string, seenBefore: boolean, now: number) {
  if (conversation.status === 'offered' && conversation.assigneeId === me) return true;
  return !seenBefore && conversation.status === 'queued' && now - conversation.createdAt < FRESH_MS;
}

let audio: AudioContext | undefined;

/** Two soft tones made on the spot: no sound file to load, nothing to fetch from elsewhere. */
export function chime(): void {
  audio ??= new AudioContext();
  const start = audio.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.14, 1320],
  ] as const) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.25);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.3);
  }
}

export function useNewConversationAlerts(me: string): void {
  const { t } = useTranslation();
  const realtime = useRealtime();
  useEffect(() => {
    const alerted = new Set<string>();
    return realtime.onConversation((conversation, seenBefore) => {
      if (alerted.has(conversation.id) || !callsForAttention(conversation, me, seenBefore, Date.now()))
        return;
      alerted.add(conversation.id);
      if (soundEnabled()) chime();
      if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || !document.hidden)
        return;
      const notification = new Notification(t('notifications.newConversation'), {
        body: `${contactLabel(conversation.contact, t)}: ${conversation.lastMessagePreview ?? ''}`,
        tag: conversation.id,
      });
      notification.onclick = () => {
        window.focus();
        const url = new URL(location.href);
        url.pathname = '/';
        url.searchParams.set('c', conversation.id);
        history.pushState(null, '', url);
        dispatchEvent(new PopStateEvent('popstate'));
      };
    });
  }, [realtime, me, t]);
}
