// A short two-note chime for a new reply, made with Web Audio: no sound file to load or block.
// Browsers keep audio suspended until the visitor interacts with the frame, so the context is
// created (or resumed) on the first key press or pointer press in it.
let context: AudioContext | null = null;

export function unlockAudioOnFirstGesture(): void {
  const unlock = () => {
    try {
      context ??= new AudioContext();
      void context.resume();
    } catch {
      // No audio here; the badge still tells.
    }
    window.removeEventListener('pointerdown', unlock);
    window.removeEventListener('keydown', unlock);
  };
  window.addEventListener('pointerdown', unlock);
  window.addEventListener('keydown', unlock);
}

export function playChime(): void {
  if (!context || context.state !== 'running') return;
  const now = context.currentTime;
  for (const [index, frequency] of [880, 1320].entries()) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    const start = now + index * 0.12;
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.15, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.32);
  }
}
