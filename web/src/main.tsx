// Entry of the operator workspace: i18n, the one query client, the router, the app.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './components/App.js';
import { setupI18n } from './i18n/index.js';
import './styles.css';

setupI18n();
// The socket keeps loaded server state fresh, so nothing is refetched just because time passed
// or the window regained focus; a reconnect invalidates what may have been missed.
const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 60_000 },
  },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  );
}
