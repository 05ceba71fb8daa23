// The frame's end of the bridge to the loader (../bridge.ts): messages go only to the embedding
// page's origin, and only messages from that page's window are heard.
import { useEffect } from 'preact/hooks';
import { isLoaderMessage, type FrameToLoader, type LoaderToFrame } from '../bridge.js';

export const isEmbedded = window.parent !== window;

export function postToLoader(hostOrigin: string, message: FrameToLoader): void {
  if (isEmbedded && hostOrigin) window.parent.postMessage(message, hostOrigin);
}

export function useLoaderMessages(hostOrigin: string, onMessage: (message: LoaderToFrame) => void): void {
  useEffect(() => {
    const listener = (event: MessageEvent) => {
      if (event.source !== window.parent || event.origin !== hostOrigin || !isLoaderMessage(event.data))
        return;
      onMessage(event.data);
    };
    window.addEventListener('message', listener);
    return () => window.removeEventListener('message', listener);
  }, [hostOrigin, onMessage]);
}
