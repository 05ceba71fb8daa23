// The bots admin's calls to /api/bot-flows and /api/bot-secrets (server/src/modules/bots/routes.ts).
import type {
  BotFlow,
  BotSecret,
  BotSecretList,
  BotFlowStats,
  BotFlowInput,
  FlowGraph,
  FlowProblem,
  FlowSimulationRequest,
  FlowSimulationResult,
} from '@frontline/protocol';
import { api } from '../api/http.js';

export const botKeys = {
  flows: ['bot-flows'] as const,
  stats: (id: string) => ['bot-flows', id, 'stats'] as const,
  secrets: ['bot-secrets'] as const,
};

export const fetchFlows = async () => (await api<{ items: BotFlow[] }>('GET', '/api/bot-flows')).items;
export const createFlow = (input: BotFlowInput) => api<BotFlow>('POST', '/api/bot-flows', input);
export const saveFlow = (id: string, input: BotFlowInput) =>
  api<BotFlow>('PUT', `/api/bot-flows/${id}`, input);
export const deleteFlow = (id: string) => api<void>('DELETE', `/api/bot-flows/${id}`);
export const publishFlow = (id: string) => api<BotFlow>('POST', `/api/bot-flows/${id}/publish`);
export const validateGraph = (graph: FlowGraph) =>
  api<{ ok: boolean; problems: FlowProblem[] }>('POST', '/api/bot-flows/validate', { graph });
export const simulateFlow = (id: string, request: FlowSimulationRequest) =>
  api<FlowSimulationResult>('POST', `/api/bot-flows/${id}/simulate`, request);
export const fetchFlowStats = (id: string) => api<BotFlowStats>('GET', `/api/bot-flows/${id}/stats`);
export const fetchSecrets = async () => (await api<BotSecretList>('GET', '/api/bot-secrets')).items;
export const putSecret = (name: string, value: string) =>
  api<BotSecret>('PUT', `/api/bot-secrets/${encodeURIComponent(name)}`, { value });
export const deleteSecret = (name: string) =>
  api<void>('DELETE', `/api/bot-secrets/${encodeURIComponent(name)}`);
