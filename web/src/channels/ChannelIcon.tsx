// A small mark per channel for conversation rows and the Channels page: the channel's colour and
// initial, with its name for screen readers.
import type { Channel } from '@frontline/protocol';
import './channels.css';

const MARKS: Record<Channel, { color: string; letter: string }> = {
  widget: { color: '#4b5563', letter: 'W' },
  api: { color: '#0f766e', letter: '{}' },
  telegram: { color: '#229ed9', letter: 'T' },
  whatsapp: { color: '#25d366', letter: 'W' },
  viber: { color: '#7360f2', letter: 'V' },
  vk: { color: '#0077ff', letter: 'VK' },
  messenger: { color: '#0866ff', letter: 'M' },
  email: { color: '#b45309', letter: '@' },
};

export function ChannelIcon({ channel, label }: { channel: Channel; label: string }) {
  const mark = MARKS[channel];
  return (
    <svg
      className="channel-icon"
      data-channel={channel}
      width="16"
      height="16"
      viewBox="0 0 16 16"
      {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true })}
    >
      <circle cx="8" cy="8" r="8" fill={mark.color} />
      <text
        x="8"
        y="11.5"
        textAnchor="middle"
        fontSize={mark.letter.length > 1 ? 7 : 10}
        fontWeight="700"
        fill="#fff"
      >
        {mark.letter}
      </text>
    </svg>
  );
}
