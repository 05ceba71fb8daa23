// Widget settings as stored (one JSON column per workspace) and as the widget sees them: defaults
// for a workspace that never saved any, and the public config (signed avatar links, enabled
// invitations only). Pure: the service does the reading and writing.
import {
  WidgetSettings,
  type Locale,
  type LocalisedText,
  type WidgetConfig,
  type WidgetSettingsInput,
} from '@frontline/protocol';
import { parseJsonColumn } from '../../../storage/json.js';

/** A fresh workspace's form asks for the name and e-mail, optional, once the admin turns it on. */
const DEFAULT_PRE_CHAT_FIELDS: WidgetSettingsInput['preChat'] = {
  enabled: false,
  fields: [
    { id: 'name', kind: 'name', label: { ru: 'Имя', en: 'Name' }, required: false },
    { id: 'email', kind: 'email', label: { ru: 'E-mail', en: 'E-mail' }, required: false },
  ],
};

export const DEFAULT_SETTINGS: WidgetSettings = WidgetSettings.parse({ preChat: DEFAULT_PRE_CHAT_FIELDS });

export function parseSettings(column: string | undefined): WidgetSettings {
  return column === undefined ? DEFAULT_SETTINGS : parseJsonColumn(WidgetSettings, column, DEFAULT_SETTINGS);
}

/** The text in `lang`, else in the other language (admins often fill in one). */
export function localised(text: LocalisedText, lang: Locale): string {
  return text[lang] || text[lang === 'ru' ? 'en' : 'ru'];
}

export interface PublicConfigInput {
  workspaceName: string;
  defaultLocale: Locale;
  settings: WidgetSettings;
  operatorsOnline: boolean;
  emailReplies: boolean;
  /** A link the widget can load an uploaded avatar from. */
  fileUrl: (fileId: string) => string;
}

export function publicConfig(input: PublicConfigInput): WidgetConfig {
  const { settings } = input;
  return {
    workspaceName: input.workspaceName,
    defaultLocale: input.defaultLocale,
    appearance: {
      ...settings.appearance,
      team: settings.appearance.team.map((member) => ({
        name: member.name,
        avatarUrl: member.avatarFileId ? input.fileUrl(member.avatarFileId) : null,
      })),
    },
    preChat: settings.preChat,
    offline: { ...settings.offline, emailReplies: input.emailReplies },
    invitations: settings.invitations.filter((i) => i.enabled),
    operatorsOnline: input.operatorsOnline,
    identityRequired: settings.identity.required,
  };
}
