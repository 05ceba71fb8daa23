// THE ADMIN AREA'S PAGES. One entry per page: its path under /admin, its nav label (an i18n key),
// the nav group it sits in, who may open it, and the component. To add a page (reports, knowledge
// base, intents, webhooks, widget settings...), import its component and add one line below: the
// route and the nav entry both come from this list. Groups show in GROUPS order and only when they
// hold a page; "channels" is where the widget settings page goes.
import type { ComponentType } from 'react';
import type { Session, UserRole } from '@frontline/protocol';
import { AttributesAdmin } from '../integrations/admin/AttributesAdmin.js';
import { AuditLogAdmin } from '../integrations/admin/AuditLogAdmin.js';
import { CardSettingsAdmin } from '../integrations/admin/CardSettingsAdmin.js';
import { RetentionAdmin } from '../integrations/admin/RetentionAdmin.js';
import { TokensAdmin } from '../integrations/admin/TokensAdmin.js';
import { WebhooksAdmin } from '../integrations/admin/WebhooksAdmin.js';
import '../integrations/integrations.css';
import { CannedResponsesPage } from './CannedResponsesPage.js';
import { DepartmentsPage } from './DepartmentsPage.js';
import { RoutingSettingsPage } from './RoutingSettingsPage.js';
import { TeamPage } from './TeamPage.js';
import { WidgetSettingsPage } from './WidgetSettingsPage.js';
import { WorkspaceSettingsPage } from './WorkspaceSettingsPage.js';
import { IntentsPage } from '../nlu/IntentsPage.js';
import { KnowledgePage } from '../nlu/KnowledgePage.js';
import { AnalyticsSettingsPage } from '../analytics/AnalyticsSettingsPage.js';
import { MonitoringPage } from '../analytics/MonitoringPage.js';
import { ReportsPage } from '../analytics/ReportsPage.js';
import { ChannelsAdmin } from '../channels/ChannelsAdmin.js';
import { FlowBuilderPage } from '../bots/FlowBuilderPage.js';
import { BotSecretsPage } from '../bots/BotSecretsPage.js';

export const GROUPS = ['workspace', 'team', 'channels', 'automation', 'integrations', 'reports'] as const;
export type AdminGroup = (typeof GROUPS)[number];

export interface AdminPageProps {
  session: Session;
}

export interface AdminPage {
  /** Under /admin/, no leading slash. */
  path: string;
  /** i18n key of the nav label and page title. */
  label: string;
  group: AdminGroup;
  roles: readonly UserRole[];
  component: ComponentType<AdminPageProps>;
}

const ADMINS = ['admin'] as const;
const SUPERVISORS = ['admin', 'supervisor'] as const;

export const ADMIN_PAGES: readonly AdminPage[] = [
  {
    path: 'settings',
    label: 'admin.settings.title',
    group: 'workspace',
    roles: ADMINS,
    component: WorkspaceSettingsPage,
  },
  { path: 'team', label: 'admin.team.title', group: 'team', roles: SUPERVISORS, component: TeamPage },
  {
    path: 'departments',
    label: 'admin.departments.title',
    group: 'team',
    roles: SUPERVISORS,
    component: DepartmentsPage,
  },
  {
    path: 'routing',
    label: 'routing.settingsTitle',
    group: 'team',
    roles: ADMINS,
    component: RoutingSettingsPage,
  },
  {
    path: 'widget',
    label: 'widgetSettings.title',
    group: 'channels',
    roles: ADMINS,
    component: WidgetSettingsPage,
  },
  { path: 'channels', label: 'channels.title', group: 'channels', roles: ADMINS, component: ChannelsAdmin },
  {
    path: 'canned-responses',
    label: 'admin.canned.title',
    group: 'automation',
    roles: SUPERVISORS,
    component: CannedResponsesPage,
  },
  { path: 'bots', label: 'bots.title', group: 'automation', roles: SUPERVISORS, component: FlowBuilderPage },
  {
    path: 'bot-secrets',
    label: 'bots.secrets.title',
    group: 'automation',
    roles: ADMINS,
    component: BotSecretsPage,
  },
  {
    path: 'attributes',
    label: 'integrations.admin.tabs.attributes',
    group: 'workspace',
    roles: ADMINS,
    component: AttributesAdmin,
  },
  {
    path: 'retention',
    label: 'integrations.admin.tabs.retention',
    group: 'workspace',
    roles: ADMINS,
    component: RetentionAdmin,
  },
  {
    path: 'audit',
    label: 'integrations.admin.tabs.audit',
    group: 'workspace',
    roles: ADMINS,
    component: AuditLogAdmin,
  },
  {
    path: 'webhooks',
    label: 'integrations.admin.tabs.webhooks',
    group: 'integrations',
    roles: ADMINS,
    component: WebhooksAdmin,
  },
  {
    path: 'customer-card',
    label: 'integrations.admin.tabs.card',
    group: 'integrations',
    roles: ADMINS,
    component: CardSettingsAdmin,
  },
  {
    path: 'api-tokens',
    label: 'integrations.admin.tabs.tokens',
    group: 'integrations',
    roles: ADMINS,
    component: TokensAdmin,
  },
  // Language understanding (docs/nlu.md).
  { path: 'intents', label: 'nlu.intents.title', group: 'automation', roles: ADMINS, component: IntentsPage },
  {
    path: 'knowledge',
    label: 'nlu.knowledge.title',
    group: 'automation',
    roles: SUPERVISORS,
    component: KnowledgePage,
  },
  {
    path: 'reports',
    label: 'analytics.reports',
    group: 'reports',
    roles: SUPERVISORS,
    component: ReportsPage,
  },
  {
    path: 'monitoring',
    label: 'analytics.monitoring',
    group: 'reports',
    roles: SUPERVISORS,
    component: MonitoringPage,
  },
  {
    path: 'report-settings',
    label: 'analytics.settings',
    group: 'reports',
    roles: ADMINS,
    component: AnalyticsSettingsPage,
  },
];
