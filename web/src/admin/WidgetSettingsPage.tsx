// Admin page of the website widget: the install snippet with a copy button, appearance (colour,
// position, launcher text, team, greeting, language), the pre-chat and offline forms, proactive
// invitations and identity verification. Edits are local until saved; the server validates them
// (WidgetSettings in the protocol) and says which field is wrong.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  AdminWidgetSettings,
  Invitation,
  PreChatField,
  Session,
  WidgetTeamMember,
  WidgetConfig,
  WidgetSettings,
} from '@frontline/protocol';
import { uploadFile } from '../api/endpoints.js';
import { describeError } from '../i18n/errors.js';
import { Checkbox, LocalisedInput, TextInput } from './SettingsInputs.js';
import {
  fetchWidgetSettings,
  installSnippet,
  rotateIdentitySecret,
  saveWidgetSettings,
  widgetSettingsKey,
} from './widget-settings-api.js';
import './widget-settings.css';

const FIELD_KINDS = ['name', 'email', 'phone', 'text'] as const;
const MAX_TEAM = 5;

export function WidgetSettingsPage({ session }: { session: Session }) {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: widgetSettingsKey, queryFn: fetchWidgetSettings });
  return (
    <div className="ws-page">
      <h1>{t('widgetSettings.title')}</h1>
      {query.isPending && <p role="status">{t('loading')}</p>}
      {query.isError && <p role="alert">{describeError(query.error, t)}</p>}
      {query.data && <SettingsForm loaded={query.data} csrfToken={session.csrfToken} />}
    </div>
  );
}

function SettingsForm({ loaded, csrfToken }: { loaded: AdminWidgetSettings; csrfToken: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [draft, setDraft] = useState<WidgetSettings>(() => settingsOf(loaded));
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => saveWidgetSettings(draft, csrfToken),
    onSuccess: (settings) => {
      queries.setQueryData(widgetSettingsKey, settings);
      setDraft(settingsOf(settings));
      setSaved(true);
    },
  });
  const change = (patch: Partial<WidgetSettings>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const error = save.error;

  return (
    <form className="ws-form" onSubmit={submit} noValidate>
      <InstallSection widgetKey={loaded.widgetKey} />
      <AppearanceSection
        settings={draft}
        widgetKey={loaded.widgetKey}
        onChange={(appearance) => change({ appearance })}
      />
      <PreChatSection settings={draft} onChange={(preChat) => change({ preChat })} />
      <OfflineSection settings={draft} onChange={(offline) => change({ offline })} />
      <InvitationsSection settings={draft} onChange={(invitations) => change({ invitations })} />
      <IdentitySection loaded={loaded} settings={draft} onChange={(identity) => change({ identity })} />
      <div className="ws-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? t('widgetSettings.saving') : t('widgetSettings.save')}
        </button>
        {saved && (
          <span role="status" className="ws-saved">
            {t('widgetSettings.saved')}
          </span>
        )}
        {error && (
          <span role="alert" className="ws-error">
            {describeError(error, t)}
          </span>
        )}
      </div>
    </form>
  );
}

function Section({ title, children, hint }: { title: string; children: ReactNode; hint?: string }) {
  return (
    <section className="ws-section">
      <h2>{title}</h2>
      {hint && <p className="muted">{hint}</p>}
      {children}
    </section>
  );
}

function InstallSection({ widgetKey }: { widgetKey: string }) {
  const { t } = useTranslation();
  const snippet = installSnippet(location.origin, widgetKey);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(snippet);
    setCopied(true);
  };
  return (
    <Section title={t('widgetSettings.install')} hint={t('widgetSettings.installHint')}>
      <pre className="ws-snippet" data-testid="widget-snippet">
        <code>{snippet}</code>
      </pre>
      <button type="button" onClick={() => void copy()}>
        {t('widgetSettings.copy')}
      </button>
      {copied && <span role="status"> {t('widgetSettings.copied')}</span>}
    </Section>
  );
}

function AppearanceSection({
  settings,
  widgetKey,
  onChange,
}: {
  settings: WidgetSettings;
  widgetKey: string;
  onChange: (appearance: WidgetSettings['appearance']) => void;
}) {
  const { t } = useTranslation();
  const appearance = settings.appearance;
  const set = (patch: Partial<WidgetSettings['appearance']>) => onChange({ ...appearance, ...patch });
  return (
    <Section title={t('widgetSettings.appearance')}>
      <div className="ws-row">
        <div className="ws-field">
          <label htmlFor="ws-color">{t('widgetSettings.color')}</label>
          <span className="ws-color">
            <input
              id="ws-color"
              type="color"
              value={appearance.color}
              onChange={(e) => set({ color: e.target.value })}
            />
            <input
              aria-label={t('widgetSettings.colorHex')}
              value={appearance.color}
              maxLength={7}
              onChange={(e) => set({ color: e.target.value })}
            />
          </span>
        </div>
        <fieldset className="ws-field">
          <legend>{t('widgetSettings.position')}</legend>
          {(['right', 'left'] as const).map((position) => (
            <label key={position} className="ws-check">
              <input
                type="radio"
                name="position"
                checked={appearance.position === position}
                onChange={() => set({ position })}
              />
              {t(`widgetSettings.${position}`)}
            </label>
          ))}
        </fieldset>
        <div className="ws-field">
          <label htmlFor="ws-language">{t('widgetSettings.language')}</label>
          <select
            id="ws-language"
            value={appearance.language}
            onChange={(e) => set({ language: e.target.value as WidgetSettings['appearance']['language'] })}
          >
            <option value="auto">{t('widgetSettings.languageAuto')}</option>
            <option value="ru">{t('languages.ru')}</option>
            <option value="en">{t('languages.en')}</option>
          </select>
        </div>
      </div>
      <LocalisedInput
        label={t('widgetSettings.launcherText')}
        value={appearance.launcherText}
        maxLength={40}
        onChange={(launcherText) => set({ launcherText })}
      />
      <LocalisedInput
        label={t('widgetSettings.greeting')}
        value={appearance.greeting}
        maxLength={500}
        multiline
        onChange={(greeting) => set({ greeting })}
      />
      <TeamEditor team={appearance.team} widgetKey={widgetKey} onChange={(team) => set({ team })} />
    </Section>
  );
}

function TeamEditor({
  team,
  widgetKey,
  onChange,
}: {
  team: WidgetTeamMember[];
  widgetKey: string;
  onChange: (team: WidgetTeamMember[]) => void;
}) {
  const { t } = useTranslation();
  // Stored avatars are shown by the signed links of the public config; new ones by their upload's.
  const [previews, setPreviews] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  // Only the avatars stored when the page opened need the config's links.
  const [storedTeam] = useState(team);
  useEffect(() => {
    void fetch(`/api/widget/${encodeURIComponent(widgetKey)}/config`)
      .then((r) => (r.ok ? (r.json() as Promise<WidgetConfig>) : null))
      .then((config) => {
        if (!config) return;
        const stored: Record<string, string> = {};
        storedTeam.forEach((member, index) => {
          const url = config.appearance.team[index]?.avatarUrl;
          if (member.avatarFileId && url) stored[member.avatarFileId] = url;
        });
        setPreviews((p) => ({ ...stored, ...p }));
      });
  }, [widgetKey, storedTeam]);

  const update = (index: number, patch: Partial<WidgetTeamMember>) =>
    onChange(team.map((m, i) => (i === index ? { ...m, ...patch } : m)));
  const upload = async (index: number, file: File) => {
    setProblem(null);
    try {
      const info = await uploadFile(file);
      setPreviews((p) => ({ ...p, [info.id]: info.url }));
      update(index, { avatarFileId: info.id });
    } catch (error) {
      setProblem(describeError(error, t));
    }
  };
  return (
    <fieldset className="ws-list">
      <legend>{t('widgetSettings.team')}</legend>
      <p className="muted">{t('widgetSettings.teamHint')}</p>
      {team.map((member, index) => (
        <div key={index} className="ws-item ws-team">
          {member.avatarFileId && previews[member.avatarFileId] ? (
            <img src={previews[member.avatarFileId]} alt="" />
          ) : (
            <span className="ws-avatar">{member.name.slice(0, 1).toUpperCase() || '?'}</span>
          )}
          <TextInput
            label={t('widgetSettings.memberName')}
            value={member.name}
            maxLength={60}
            onChange={(name) => update(index, { name })}
          />
          <label className="ws-upload">
            {t('widgetSettings.avatar')}
            <input
              type="file"
              accept="image/png,image/jpeg,image/webp,image/gif"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void upload(index, file);
              }}
            />
          </label>
          <button type="button" onClick={() => onChange(team.filter((_, i) => i !== index))}>
            {t('widgetSettings.remove')}
          </button>
        </div>
      ))}
      {problem && <p role="alert">{problem}</p>}
      {team.length < MAX_TEAM && (
        <button type="button" onClick={() => onChange([...team, { name: '', avatarFileId: null }])}>
          {t('widgetSettings.addMember')}
        </button>
      )}
    </fieldset>
  );
}

function PreChatSection({
  settings,
  onChange,
}: {
  settings: WidgetSettings;
  onChange: (preChat: WidgetSettings['preChat']) => void;
}) {
  const { t } = useTranslation();
  const form = settings.preChat;
  const update = (index: number, patch: Partial<PreChatField>) =>
    onChange({ ...form, fields: form.fields.map((f, i) => (i === index ? { ...f, ...patch } : f)) });
  return (
    <Section title={t('widgetSettings.preChat')} hint={t('widgetSettings.preChatHint')}>
      <Checkbox
        label={t('widgetSettings.preChatEnabled')}
        checked={form.enabled}
        onChange={(enabled) => onChange({ ...form, enabled })}
      />
      {form.fields.map((field, index) => (
        <div key={index} className="ws-item">
          <TextInput
            label={t('widgetSettings.fieldId')}
            value={field.id}
            maxLength={32}
            onChange={(id) => update(index, { id })}
          />
          <div className="ws-field">
            <label htmlFor={`ws-kind-${index}`}>{t('widgetSettings.fieldKind')}</label>
            <select
              id={`ws-kind-${index}`}
              value={field.kind}
              onChange={(e) => update(index, { kind: e.target.value as PreChatField['kind'] })}
            >
              {FIELD_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`widgetSettings.kinds.${kind}`)}
                </option>
              ))}
            </select>
          </div>
          <LocalisedInput
            label={t('widgetSettings.fieldLabel')}
            value={field.label}
            maxLength={80}
            onChange={(label) => update(index, { label })}
          />
          <Checkbox
            label={t('widgetSettings.required')}
            checked={field.required}
            onChange={(required) => update(index, { required })}
          />
          <button
            type="button"
            onClick={() => onChange({ ...form, fields: form.fields.filter((_, i) => i !== index) })}
          >
            {t('widgetSettings.remove')}
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          onChange({
            ...form,
            fields: [
              ...form.fields,
              {
                id: `field_${form.fields.length + 1}`,
                kind: 'text',
                label: { ru: '', en: '' },
                required: false,
              },
            ],
          })
        }
      >
        {t('widgetSettings.addField')}
      </button>
    </Section>
  );
}

function OfflineSection({
  settings,
  onChange,
}: {
  settings: WidgetSettings;
  onChange: (offline: WidgetSettings['offline']) => void;
}) {
  const { t } = useTranslation();
  const offline = settings.offline;
  return (
    <Section title={t('widgetSettings.offline')} hint={t('widgetSettings.offlineHint')}>
      <Checkbox
        label={t('widgetSettings.offlineEnabled')}
        checked={offline.enabled}
        onChange={(enabled) => onChange({ ...offline, enabled })}
      />
      <Checkbox
        label={t('widgetSettings.emailRequired')}
        checked={offline.emailRequired}
        onChange={(emailRequired) => onChange({ ...offline, emailRequired })}
      />
      <LocalisedInput
        label={t('widgetSettings.offlineIntro')}
        value={offline.intro}
        maxLength={500}
        multiline
        onChange={(intro) => onChange({ ...offline, intro })}
      />
    </Section>
  );
}

function InvitationsSection({
  settings,
  onChange,
}: {
  settings: WidgetSettings;
  onChange: (invitations: Invitation[]) => void;
}) {
  const { t } = useTranslation();
  const list = settings.invitations;
  const update = (index: number, patch: Partial<Invitation>) =>
    onChange(list.map((item, i) => (i === index ? { ...item, ...patch } : item)));
  const number = (value: string) => (value === '' ? 0 : Math.max(0, Math.floor(Number(value)) || 0));
  return (
    <Section title={t('widgetSettings.invitations')} hint={t('widgetSettings.invitationsHint')}>
      {list.map((invitation, index) => (
        <div key={index} className="ws-item">
          <Checkbox
            label={t('widgetSettings.invitationEnabled')}
            checked={invitation.enabled}
            onChange={(enabled) => update(index, { enabled })}
          />
          <TextInput
            label={t('widgetSettings.fieldId')}
            value={invitation.id}
            maxLength={32}
            onChange={(id) => update(index, { id })}
          />
          <LocalisedInput
            label={t('widgetSettings.invitationText')}
            value={invitation.text}
            maxLength={500}
            multiline
            onChange={(text) => update(index, { text })}
          />
          <TextInput
            label={t('widgetSettings.urlPattern')}
            value={invitation.urlPattern}
            maxLength={500}
            placeholder="*/pricing*"
            onChange={(urlPattern) => update(index, { urlPattern })}
          />
          <TextInput
            label={t('widgetSettings.minSeconds')}
            type="number"
            min={0}
            max={3600}
            value={invitation.minSecondsOnPage}
            onChange={(value) => update(index, { minSecondsOnPage: number(value) })}
          />
          <TextInput
            label={t('widgetSettings.minVisits')}
            type="number"
            min={1}
            max={1000}
            value={invitation.minVisits}
            onChange={(value) => update(index, { minVisits: Math.max(1, number(value)) })}
          />
          <Checkbox
            label={t('widgetSettings.exitIntent')}
            checked={invitation.exitIntent}
            onChange={(exitIntent) => update(index, { exitIntent })}
          />
          <button type="button" onClick={() => onChange(list.filter((_, i) => i !== index))}>
            {t('widgetSettings.remove')}
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          onChange([
            ...list,
            {
              id: `invite_${list.length + 1}`,
              enabled: true,
              text: { ru: '', en: '' },
              urlPattern: '*',
              minSecondsOnPage: 30,
              minVisits: 1,
              exitIntent: false,
            },
          ])
        }
      >
        {t('widgetSettings.addInvitation')}
      </button>
    </Section>
  );
}

function IdentitySection({
  loaded,
  settings,
  onChange,
}: {
  loaded: AdminWidgetSettings;
  settings: WidgetSettings;
  onChange: (identity: WidgetSettings['identity']) => void;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [shown, setShown] = useState(false);
  const rotate = useMutation({
    mutationFn: rotateIdentitySecret,
    onSuccess: (next) =>
      queries.setQueryData<AdminWidgetSettings>(widgetSettingsKey, (current) =>
        current ? { ...current, identitySecret: next.identitySecret } : next,
      ),
  });
  return (
    <Section title={t('widgetSettings.identity')} hint={t('widgetSettings.identityHint')}>
      <div className="ws-field">
        <label htmlFor="ws-secret">{t('widgetSettings.secret')}</label>
        <span className="ws-secret">
          <input
            id="ws-secret"
            readOnly
            type={shown ? 'text' : 'password'}
            value={loaded.identitySecret}
            data-testid="identity-secret"
          />
          <button type="button" onClick={() => setShown((s) => !s)} aria-pressed={shown}>
            {shown ? t('widgetSettings.hide') : t('widgetSettings.show')}
          </button>
          <button type="button" onClick={() => void navigator.clipboard.writeText(loaded.identitySecret)}>
            {t('widgetSettings.copy')}
          </button>
          <button
            type="button"
            disabled={rotate.isPending}
            onClick={() => {
              if (confirm(t('widgetSettings.rotateConfirm'))) rotate.mutate();
            }}
          >
            {t('widgetSettings.rotate')}
          </button>
        </span>
      </div>
      {rotate.error && <p role="alert">{describeError(rotate.error, t)}</p>}
      <Checkbox
        label={t('widgetSettings.identityRequired')}
        checked={settings.identity.required}
        onChange={(required) => onChange({ required })}
      />
    </Section>
  );
}

function settingsOf(loaded: AdminWidgetSettings): WidgetSettings {
  const { appearance, preChat, offline, invitations, identity } = loaded;
  return { appearance, preChat, offline, invitations, identity };
}
