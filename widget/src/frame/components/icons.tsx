// Inline SVG icons: emoji and icon fonts differ across systems, and an image request could be blocked.
const common = {
  width: 20,
  height: 20,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  'stroke-width': 2,
  'stroke-linecap': 'round',
  'stroke-linejoin': 'round',
  'aria-hidden': true,
} as const;

export const CloseIcon = () => (
  <svg {...common}>
    <path d="M18 6 6 18M6 6l12 12" />
  </svg>
);

export const SendIcon = () => (
  <svg {...common}>
    <path d="m22 2-7 20-4-9-9-4zM22 2 11 13" />
  </svg>
);

export const AttachIcon = () => (
  <svg {...common}>
    <path d="m21.4 11.6-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" />
  </svg>
);

export const SoundIcon = ({ muted }: { muted: boolean }) => (
  <svg {...common}>
    <path d="M11 5 6 9H2v6h4l5 4z" />
    <path d={muted ? 'm23 9-6 6M17 9l6 6' : 'M15.5 8.5a5 5 0 0 1 0 7M19 5a10 10 0 0 1 0 14'} />
  </svg>
);

export const ThumbIcon = ({ down }: { down: boolean }) => (
  <svg {...common} style={down ? { transform: 'rotate(180deg)' } : undefined}>
    <path d="M7 10v12M15 5.9 14 10h5.8a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.4 22H7V10l4-8a3 3 0 0 1 4 3.9z" />
  </svg>
);
